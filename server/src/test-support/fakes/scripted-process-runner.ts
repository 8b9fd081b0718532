import type {
  ProcessResult,
  ProcessRunner,
  ProcessSpec,
  RunningProcess,
} from '../../adapters/process/process-runner.js';

export type ScriptedAnswer = Partial<ProcessResult> & { stderrLines?: string[] };

/**
 * The unit tier's ProcessRunner: records every spec and answers from a script keyed by program
 * (a function sees the spec). Unknown programs answer like a missing binary.
 */
export class ScriptedProcessRunner implements ProcessRunner {
  readonly calls: ProcessSpec[] = [];

  constructor(
    private readonly script: Record<string, ScriptedAnswer | ((spec: ProcessSpec) => ScriptedAnswer)>,
  ) {}

  run(spec: ProcessSpec): Promise<ProcessResult> {
    return this.start(spec).result;
  }

  start(spec: ProcessSpec): RunningProcess {
    this.calls.push(spec);
    const entry = this.script[spec.program];
    const answer: ScriptedAnswer =
      entry === undefined
        ? { spawnError: `spawn ${spec.program} ENOENT` }
        : typeof entry === 'function'
          ? entry(spec)
          : entry;
    for (const line of answer.stderrLines ?? []) spec.onStderrLine?.(line);
    const result: ProcessResult = {
      code: answer.spawnError ? null : (answer.code ?? 0),
      signal: answer.signal ?? null,
      stdout: answer.stdout ?? '',
      stderr: answer.stderr ?? (answer.stderrLines ?? []).join('\n'),
      timedOut: answer.timedOut ?? false,
      cancelled: answer.cancelled ?? false,
      truncated: answer.truncated ?? false,
      spawnError: answer.spawnError ?? null,
    };
    return { pid: 1, result: Promise.resolve(result), closeStdin: () => undefined, kill: () => undefined };
  }
}
