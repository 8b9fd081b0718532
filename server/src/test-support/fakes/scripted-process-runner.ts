import type {
  ProcessResult,
  ProcessRunner,
  ProcessSpec,
  RunningProcess,
} from '../../adapters/process/process-runner.js';

/** `hold`: the program runs until its spec's signal aborts it (then it ends as a cancelled one does). */
export type ScriptedAnswer = Partial<ProcessResult> & { stderrLines?: string[]; hold?: boolean };

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
    const held = answer.hold
      ? new Promise<ProcessResult>((resolve) =>
          spec.signal?.addEventListener('abort', () =>
            resolve({ ...result, code: null, signal: 'SIGTERM', cancelled: true }),
          ),
        )
      : Promise.resolve(result);
    return { pid: 1, result: held, closeStdin: () => undefined, kill: () => undefined };
  }
}
