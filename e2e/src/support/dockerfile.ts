import { readFileSync } from 'node:fs';

export interface Instruction {
  /** Upper-case instruction, e.g. FROM, COPY, ENV. */
  name: string;
  /** Everything after the instruction, continuation lines joined with a space. */
  args: string;
  line: number;
}

/** Reads a Dockerfile into instructions (comments and parser directives dropped, `\` lines joined). */
export function readDockerfile(path: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | null = null;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      const trimmed = raw.trim();
      if (pending === null && (trimmed === '' || trimmed.startsWith('#'))) return;
      if (pending !== null && trimmed.startsWith('#')) return;
      const continued = trimmed.endsWith('\\');
      const text = continued ? trimmed.slice(0, -1).trim() : trimmed;
      pending =
        pending === null ? { text, line: index + 1 } : { ...pending, text: `${pending.text} ${text}` };
      if (!continued) {
        const m = /^(\S+)\s*(.*)$/.exec(pending.text);
        if (m !== null) out.push({ name: m[1]!.toUpperCase(), args: m[2]!, line: pending.line });
        pending = null;
      }
    });
  return out;
}

/** `COPY`/`ADD` sources (not `--from=` copies): every word but the last, flags dropped; JSON form too. */
export function copySources(instruction: Instruction): string[] {
  const args = instruction.args.trim();
  const words = args.startsWith('[')
    ? (JSON.parse(args) as string[])
    : args.split(/\s+/).filter((w) => w !== '');
  if (words.some((w) => w.startsWith('--from='))) return [];
  const plain = words.filter((w) => !w.startsWith('--'));
  return plain.slice(0, -1);
}

/** `ENV` pairs in the `KEY=value` form (the only form the project's Dockerfiles use). */
export function envPairs(instruction: Instruction): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const m of instruction.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
    pairs.set(m[1]!, m[2]!.replace(/^"(.*)"$/, '$1'));
  }
  return pairs;
}

/** The image of each `FROM`, and the stage names it defines (so `FROM <stage>` is not an image). */
export function baseImages(instructions: Instruction[]): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  for (const i of instructions.filter((x) => x.name === 'FROM')) {
    const words = i.args.split(/\s+/).filter((w) => !w.startsWith('--'));
    const image = words[0] ?? '';
    if (!stages.has(image)) images.push(image);
    if (words[1]?.toUpperCase() === 'AS' && words[2] !== undefined) stages.add(words[2]);
  }
  return images;
}
