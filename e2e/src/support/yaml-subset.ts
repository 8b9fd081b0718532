/**
 * A parser for the YAML subset docker-compose.yml uses (no npm package for one static test): block
 * mappings and sequences by indentation, `- scalar` items, flow sequences of scalars (`["a", "b"]`),
 * plain, single- and double-quoted scalars, full-line and trailing comments. Anything else (anchors,
 * multi-line strings, flow mappings, `- key: value` items) throws, so the test notices a file it cannot read.
 */
export type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  no: number;
  indent: number;
  text: string;
}

/** Drops a trailing ` # comment` that is not inside quotes. */
function stripComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
}

function splitFlow(inner: string, no: number): string[] {
  const items: string[] = [];
  let quote: string | null = null;
  let current = '';
  for (const c of inner) {
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      items.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (quote !== null) throw new Error(`line ${no}: unterminated quote`);
  if (current.trim() !== '') items.push(current.trim());
  return items;
}

function scalar(raw: string, no: number): YamlValue {
  if (raw === '' || raw === '~' || raw === 'null') return null;
  if (raw.startsWith('"')) {
    if (!raw.endsWith('"') || raw.length < 2) throw new Error(`line ${no}: bad double-quoted scalar`);
    return JSON.parse(raw) as string;
  }
  if (raw.startsWith("'")) {
    if (!raw.endsWith("'") || raw.length < 2) throw new Error(`line ${no}: bad single-quoted scalar`);
    return raw.slice(1, -1).replaceAll("''", "'");
  }
  if (raw.startsWith('[')) {
    if (!raw.endsWith(']')) throw new Error(`line ${no}: multi-line flow sequences are not supported`);
    return splitFlow(raw.slice(1, -1), no).map((item) => scalar(item, no));
  }
  if (/^[{&*!|>]/.test(raw)) throw new Error(`line ${no}: unsupported YAML: ${raw}`);
  return raw;
}

function parseBlock(lines: Line[], start: number, indent: number): [YamlValue, number] {
  const first = lines[start];
  if (first === undefined || first.indent < indent) return [null, start];
  if (first.text.startsWith('- ') || first.text === '-') {
    const items: YamlValue[] = [];
    let i = start;
    while (i < lines.length && lines[i]!.indent === first.indent && lines[i]!.text.startsWith('-')) {
      const rest = lines[i]!.text.slice(1).trim();
      if (/^[^"'[][^:]*:(\s|$)/.test(rest))
        throw new Error(`line ${lines[i]!.no}: "- key: value" items are not supported`);
      items.push(scalar(rest, lines[i]!.no));
      i++;
    }
    return [items, i];
  }
  const map: { [key: string]: YamlValue } = {};
  let i = start;
  while (i < lines.length && lines[i]!.indent === first.indent) {
    const { text, no } = lines[i]!;
    const m = /^("[^"]*"|'[^']*'|[^\s:][^:]*?):(?:\s+(.*))?$/.exec(text);
    if (m === null) throw new Error(`line ${no}: expected "key: value", got: ${text}`);
    const rawKey = m[1]!;
    const key = /^["']/.test(rawKey) ? rawKey.slice(1, -1) : rawKey;
    if (key in map) throw new Error(`line ${no}: duplicate key ${key}`);
    const rest = m[2]?.trim() ?? '';
    if (rest !== '') {
      map[key] = scalar(rest, no);
      i++;
    } else {
      const next = lines[i + 1];
      if (next !== undefined && next.indent > first.indent)
        [map[key], i] = parseBlock(lines, i + 1, next.indent);
      else [map[key], i] = [null, i + 1];
    }
  }
  if (i < lines.length && lines[i]!.indent > first.indent)
    throw new Error(`line ${lines[i]!.no}: bad indentation`);
  return [map, i];
}

/** Parses a document of the supported subset; throws naming the first line it cannot read. */
export function parseYamlSubset(source: string): YamlValue {
  const lines: Line[] = [];
  source.split('\n').forEach((raw, index) => {
    if (raw.includes('\t')) throw new Error(`line ${index + 1}: tabs are not allowed in YAML`);
    const text = stripComment(raw);
    if (text.trim() === '' || text.trim() === '---') return;
    lines.push({ no: index + 1, indent: text.length - text.trimStart().length, text: text.trim() });
  });
  const [value, end] = parseBlock(lines, 0, 0);
  if (end < lines.length) throw new Error(`line ${lines[end]!.no}: unexpected content`);
  return value;
}
