#!/usr/bin/env node
// @ts-check
// borg-hive-keys: sshd's AuthorizedKeysCommand for Borg Hive storage nodes.
//
//   AuthorizedKeysCommand /usr/local/bin/borg-hive-keys --user %u --fingerprint %f
//   AuthorizedKeysCommandUser borghive-keys
//
// Asks the hive's GraphQL API which keys may open a repository user and prints their authorized_keys
// lines. One dependency-free file that any Node >= 18 runs. It fails closed: on any doubt it prints
// nothing on stdout, one line on stderr, and exits 1. Every printed line was parsed strictly and is
// re-serialised from its parts, so nothing the API sends can add key options or a second line.
'use strict';

const BUDGET_MS = 2000;
const MAX_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_CONFIG = '/etc/borg-hive/keys.env';
const USER_RE = /^[a-z0-9]{8}$/;
const FINGERPRINT_RE = /^SHA256:[A-Za-z0-9+/]{43}$/;
const TOKEN_RE = /^[\x21-\x7e]{1,4096}$/;
const QUERY =
  'query AuthorizedKeys($user: String!, $fingerprint: String) ' +
  '{ authorizedKeys(user: $user, fingerprint: $fingerprint) }';

const LINE_RE = /^command="([^"]*)",restrict ([a-z0-9@.-]+) ([A-Za-z0-9+/]+={0,2})(?: ([ !#-~]*))?$/;
const BORG_RE =
  /^borg serve --umask 007( --append-only)?( --storage-quota [0-9]{1,20})? --restrict-to-repository (\/[A-Za-z0-9._/-]+)$/;
// IMPORT is `rrsync -wo -munge`; a bare `-wo` (from a hive older than this file) is printed munged too
const RRSYNC_RE = /^rrsync (-wo -munge|-wo|-ro) (\/[A-Za-z0-9._/-]+)$/;
const REPO_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

class Refusal extends Error {}

/** @param {string} reason @returns {never} */
function refuse(reason) {
  throw new Refusal(reason);
}

/** @param {string[]} argv @returns {{ user: string, fingerprint: string | undefined, config: string }} */
function parseArgs(argv) {
  /** @type {Record<string, string>} */
  const seen = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    if (name !== '--user' && name !== '--fingerprint' && name !== '--config') refuse('unknown argument');
    if (name in seen) refuse(`${name} given twice`);
    const value = argv[i + 1];
    if (value === undefined) refuse(`${name} needs a value`);
    seen[name] = value;
  }
  const user = seen['--user'];
  if (user === undefined) refuse('--user is required');
  if (!USER_RE.test(user)) refuse('--user is not a repository user name ([a-z0-9]{8})');
  const fingerprint = seen['--fingerprint'];
  if (fingerprint !== undefined && !FINGERPRINT_RE.test(fingerprint)) refuse('--fingerprint is malformed');
  return { user, fingerprint, config: seen['--config'] ?? DEFAULT_CONFIG };
}

/** Reads KEY=VALUE lines; values are taken literally (one pair of surrounding quotes is dropped).
 * @param {string} file @returns {Record<string, string>} */
function readConfig(file) {
  const fs = require('node:fs');
  let text;
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) refuse(`${file} is not a regular file`);
      if (stat.mode & 0o027)
        refuse(`${file} must not be group-writable or accessible by others (chmod 0640)`);
      if (stat.size > 65536) refuse(`${file} is too large`);
      text = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if (error instanceof Refusal) throw error;
    refuse(`cannot read ${file}: ${error instanceof Error && 'code' in error ? error.code : 'error'}`);
  }
  /** @type {Record<string, string>} */
  const values = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Z_][A-Z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) refuse(`${file}:${index + 1}: expected KEY=VALUE`);
    const quoted = /^(["'])(.*)\1$/.exec(match[2]);
    values[match[1]] = quoted ? quoted[2] : match[2];
  });
  return values;
}

/** @param {{ config: string }} args @param {NodeJS.ProcessEnv} env @returns {{ url: URL, token: string }} */
function loadSettings(args, env) {
  let rawUrl = env.BORGHIVE_API_URL;
  let token = env.BORGHIVE_API_TOKEN;
  if (!rawUrl || !token) {
    const file = readConfig(args.config);
    rawUrl = rawUrl || file.BORGHIVE_API_URL;
    token = token || file.BORGHIVE_API_TOKEN;
  }
  if (!rawUrl) refuse('BORGHIVE_API_URL is not set');
  if (!token) refuse('BORGHIVE_API_TOKEN is not set');
  if (!TOKEN_RE.test(token)) refuse('BORGHIVE_API_TOKEN contains spaces or control characters');
  let url;
  try {
    url = new URL(rawUrl);
  } catch {
    refuse('BORGHIVE_API_URL is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') refuse('BORGHIVE_API_URL must be http(s)');
  if (url.username || url.password) refuse('BORGHIVE_API_URL must not carry credentials');
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/graphql') ? path : `${path}/graphql`;
  return { url, token };
}

/** POSTs the query and resolves with the body of a 200 answer. Plain http goes over node:net by hand
 * (loading node:http costs more than the whole lookup); https uses node:https.
 * @param {URL} url @param {string} token @param {string} body @param {number} timeoutMs
 * @returns {Promise<string>} */
function post(url, token, body, timeoutMs) {
  const head =
    `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n` +
    `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\nAccept: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  if (url.protocol === 'https:') return postHttps(url, head, body, timeoutMs);
  const net = require('node:net');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return exchange(net.connect({ host, port: Number(url.port || 80) }), head + body, timeoutMs);
}

/** @param {URL} url @param {string} head @param {string} body @param {number} timeoutMs
 * @returns {Promise<string>} */
function postHttps(url, head, body, timeoutMs) {
  const tls = require('node:tls');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const servername = require('node:net').isIP(host) ? undefined : host;
  return exchange(tls.connect({ host, port: Number(url.port || 443), servername }), head + body, timeoutMs);
}

/** Sends one request on a fresh connection, reads until the server closes it, parses the answer.
 * @param {import('node:net').Socket} socket @param {string} request @param {number} timeoutMs
 * @returns {Promise<string>} */
function exchange(socket, request, timeoutMs) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    const timer = setTimeout(() => socket.destroy(new Refusal('API did not answer in time')), timeoutMs);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error instanceof Refusal ? error : new Refusal(`API unreachable: ${describe(error)}`));
    });
    socket.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES + 16384) socket.destroy(new Refusal('API answer is larger than 1 MiB'));
      else chunks.push(chunk);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      socket.destroy();
      try {
        resolve(parseHttp(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    socket.write(request);
  });
}

/** The body of a complete HTTP/1.x 200 answer (Content-Length, chunked, or up to the close).
 * @param {Buffer} raw @returns {string} */
function parseHttp(raw) {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) refuse('API answer broke off before its body');
  const lines = raw.toString('latin1', 0, split).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!status) refuse('API answer is not HTTP/1.x');
  if (status[1] !== '200') refuse(`API answered HTTP ${status[1]}`);
  /** @type {Record<string, string>} */
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(split + 4);
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) body = unchunk(body);
  else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (!Number.isSafeInteger(length) || body.length < length) refuse('API answer broke off');
    body = body.subarray(0, length);
  }
  if (body.length > MAX_RESPONSE_BYTES) refuse('API answer is larger than 1 MiB');
  return body.toString('utf8');
}

/** @param {Buffer} data @returns {Buffer} */
function unchunk(data) {
  /** @type {Buffer[]} */
  const parts = [];
  let at = 0;
  for (;;) {
    const end = data.indexOf('\r\n', at);
    const length = end < 0 ? NaN : parseInt(data.toString('latin1', at, end).split(';')[0], 16);
    if (!Number.isSafeInteger(length) || length < 0) refuse('API answer has a broken chunk');
    if (length === 0) return Buffer.concat(parts);
    if (end + 2 + length > data.length) refuse('API answer broke off');
    parts.push(data.subarray(end + 2, end + 2 + length));
    at = end + 2 + length + 2;
  }
}

/** @param {string} text @param {string} user @returns {string[]} */
function parseAnswer(text, user) {
  /** @type {unknown} */
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    refuse('API answer is not JSON');
  }
  if (typeof answer !== 'object' || answer === null) refuse('API answer is not a JSON object');
  const { data, errors } = /** @type {{ data?: unknown, errors?: unknown }} */ (answer);
  if (errors !== undefined) {
    const first = Array.isArray(errors) ? errors[0] : undefined;
    const code = first?.extensions?.code;
    const message = typeof first?.message === 'string' ? first.message : 'unknown error';
    refuse(`API error${typeof code === 'string' ? ` ${code}` : ''}: ${message}`);
  }
  const lines = /** @type {{ authorizedKeys?: unknown } | null | undefined} */ (data)?.authorizedKeys;
  if (!Array.isArray(lines)) refuse('API answer has no authorizedKeys list');
  return lines.map((line, index) => {
    if (typeof line !== 'string') refuse(`key line ${index + 1} is not a string`);
    const problem = checkLine(line, user);
    if (problem) refuse(`key line ${index + 1} refused: ${problem}`);
    return line;
  });
}

/** Returns why a line is unacceptable, or '' when it is a well-formed line for this user.
 * @param {string} line @param {string} user @returns {string} */
function checkLine(line, user) {
  const parts = LINE_RE.exec(line);
  if (!parts) return 'not of the form command="...",restrict <type> <base64> [comment]';
  const [, command, type, base64] = parts;
  const borg = BORG_RE.exec(command);
  const rrsync = RRSYNC_RE.exec(command);
  const path = borg ? borg[3] : rrsync ? rrsync[2] : undefined;
  if (path === undefined) return 'forced command is not an allowed borg serve or rrsync command';
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'repository path is not canonical';
  if (segments.length < 2 || segments[segments.length - 2] !== user)
    return 'repository path is not for this user';
  if (!REPO_NAME_RE.test(segments[segments.length - 1])) return 'repository name is malformed';
  if (!KEY_TYPES.has(type)) return `key type ${type} is not allowed`;
  const blob = Buffer.from(base64, 'base64');
  if (blob.toString('base64') !== base64) return 'key is not canonical base64';
  if (
    blob.length < 8 ||
    blob.readUInt32BE(0) !== type.length ||
    blob.toString('latin1', 4, 4 + type.length) !== type
  )
    return 'key data does not match its type';
  return '';
}

/** Re-serialises a checked line from its parts, keeping an optional comment (trimmed); a write-only
 * rrsync always gets -munge (uploaded symlinks stay dead links).
 * @param {string} line @returns {string} */
function serialise(line) {
  const [, command, type, base64, comment] = /** @type {RegExpExecArray} */ (LINE_RE.exec(line));
  const forced = command.replace(/^rrsync -wo \//, 'rrsync -wo -munge /');
  const note = comment === undefined ? '' : comment.trim();
  return `command="${forced}",restrict ${type} ${base64}${note ? ` ${note}` : ''}`;
}

/** @param {unknown} error @returns {string} */
function describe(error) {
  if (error instanceof Error)
    return 'code' in error && typeof error.code === 'string' ? error.code : error.message;
  return String(error);
}

/** @param {string} reason @returns {never} */
function fail(reason) {
  const oneLine = reason.replace(/[^ -~]+/g, ' ').slice(0, 300);
  process.stderr.write(`borg-hive-keys: ${oneLine}\n`);
  process.exit(1);
}

async function main() {
  const deadline = BUDGET_MS - Math.ceil(process.uptime() * 1000);
  setTimeout(() => fail('2 s budget exceeded'), Math.max(deadline, 0)).unref();
  const args = parseArgs(process.argv.slice(2));
  const { url, token } = loadSettings(args, process.env);
  const variables = args.fingerprint
    ? { user: args.user, fingerprint: args.fingerprint }
    : { user: args.user };
  const body = JSON.stringify({ query: QUERY, variables });
  const text = await post(url, token, body, Math.max(deadline - 100, 1));
  // The API filters by fingerprint; every line it returns is checked to be for this user only.
  const output = parseAnswer(text, args.user)
    .map((line) => `${serialise(line)}\n`)
    .join('');
  if (output) process.stdout.write(output);
  process.exit(0);
}

main().catch((error) =>
  fail(error instanceof Refusal ? error.message : `unexpected error: ${describe(error)}`),
);
