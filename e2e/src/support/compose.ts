import { readFileSync } from 'node:fs';
import { parseYamlSubset, type YamlValue } from './yaml-subset.js';

export type YamlMap = { [key: string]: YamlValue };

export interface ComposeService {
  name: string;
  image: string | null;
  build: { context: string; dockerfile: string } | null;
  environment: Map<string, string>;
  secrets: string[];
  ports: string[];
  volumes: string[];
  profiles: string[];
}

export interface ComposeFile {
  services: Map<string, ComposeService>;
  volumes: string[];
  secrets: Map<string, string>;
}

export function isMap(v: YamlValue | undefined): v is YamlMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: YamlValue | undefined, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new Error(`${what}: not a list of strings`);
  return v as string[];
}

function text(v: YamlValue | undefined, what: string): string {
  if (typeof v !== 'string') throw new Error(`${what}: expected a string`);
  return v;
}

/** Reads docker-compose.yml into the parts the static test checks (environment as a map only). */
export function readCompose(path: string): ComposeFile {
  const doc = parseYamlSubset(readFileSync(path, 'utf8'));
  if (!isMap(doc) || !isMap(doc.services)) throw new Error('docker-compose.yml: no services');
  const services = new Map<string, ComposeService>();
  for (const [name, raw] of Object.entries(doc.services)) {
    if (!isMap(raw)) throw new Error(`service ${name}: not a mapping`);
    const env = new Map<string, string>();
    if (raw.environment !== undefined) {
      if (!isMap(raw.environment)) throw new Error(`service ${name}: environment must be a mapping`);
      for (const [k, v] of Object.entries(raw.environment))
        env.set(k, v === null ? '' : text(v, `${name}.${k}`));
    }
    const build = isMap(raw.build)
      ? {
          context: text(raw.build.context, `${name}.build.context`),
          dockerfile: text(raw.build.dockerfile ?? 'Dockerfile', `${name}.build.dockerfile`),
        }
      : null;
    services.set(name, {
      name,
      image: typeof raw.image === 'string' ? raw.image : null,
      build,
      environment: env,
      secrets: strings(raw.secrets, `${name}.secrets`),
      ports: strings(raw.ports, `${name}.ports`),
      volumes: strings(raw.volumes, `${name}.volumes`),
      profiles: strings(raw.profiles, `${name}.profiles`),
    });
  }
  const secrets = new Map<string, string>();
  for (const [name, raw] of Object.entries(isMap(doc.secrets) ? doc.secrets : {})) {
    secrets.set(name, isMap(raw) ? text(raw.file, `secrets.${name}.file`) : '');
  }
  return { services, volumes: Object.keys(isMap(doc.volumes) ? doc.volumes : {}), secrets };
}

/** The default of `${VAR:-default}` (or the text itself when it is not a reference). */
export function defaultOf(value: string): string {
  return value.replace(
    /\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?\}/g,
    (_m, d: string | undefined) => d ?? '',
  );
}
