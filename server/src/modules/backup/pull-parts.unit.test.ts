import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProcessResult } from '../../adapters/process/process-runner.js';
import { BackupRunState } from './backup-enums.js';
import { BoundedLog, parseBorgLine } from './borg-progress.js';
import { fingerprintOf, knownHostsLines, parseKeyscan, parsePublicKey } from '../../security/host-keys.js';
import {
  archiveGlob,
  borgCreateArgs,
  borgPruneArgs,
  remoteCommand,
  remoteStdin,
  shellQuote,
} from './remote-command.js';
import { outcomeOf } from './run-outcome.js';
import { nextRuns, scheduleProblem } from './schedule.js';
import { SshTools } from './ssh-tools.js';
import { ScriptedProcessRunner } from '../../test-support/fakes/scripted-process-runner.js';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBpsj6TEu7wNyl+ztvWTYxJKkGKcFnTlIXf6p8dQ8gD4';

const result = (r: Partial<ProcessResult>): ProcessResult => ({
  code: 0,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  cancelled: false,
  truncated: false,
  spawnError: null,
  ...r,
});
const opts = { cancelled: false, timeoutSeconds: 60, clientFingerprint: 'SHA256:pinned' };

describe('host keys', () => {
  test('a public key is parsed only when its blob names its own type', () => {
    assert.deepEqual(parsePublicKey(`${ED25519} comment`), {
      type: 'ssh-ed25519',
      base64: ED25519.split(' ')[1],
    });
    assert.equal(parsePublicKey(ED25519.replace('ssh-ed25519', 'ssh-rsa')), null);
    assert.equal(parsePublicKey('ssh-ed25519 not-base64!'), null);
  });

  test('fingerprints are unpadded base64 sha256, as ssh-keygen -l prints them', () => {
    const fp = fingerprintOf(parsePublicKey(ED25519)!);
    assert.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  test('known_hosts names a non-22 port in brackets; keyscan output is read ed25519 first', () => {
    const key = parsePublicKey(ED25519)!;
    assert.equal(knownHostsLines('127.0.0.1', 2222, [key]), `[127.0.0.1]:2222 ${ED25519}\n`);
    assert.equal(knownHostsLines('host', 22, [key]), `host ${ED25519}\n`);
    const scanned = parseKeyscan(`# 127.0.0.1:22 SSH-2.0\n127.0.0.1 ${ED25519}\ngarbage line\n`);
    assert.deepEqual(scanned, [key]);
  });
});

describe('the remote command', () => {
  test('every value is single-quoted, so nothing in a path reaches the shell as syntax', () => {
    assert.equal(shellQuote(`it's $(rm -rf /)`), `'it'\\''s $(rm -rf /)'`);
    const cmd = remoteCommand(['create', '--', 'ssh://u@h:22/./r::a', '/home/x; reboot']);
    assert.match(cmd, /^sh -c '.*' borg-hive 'create' '--' 'ssh:\/\/u@h:22\/\.\/r::a' '\/home\/x; reboot'$/s);
  });

  test('stdin carries the passphrase line, known_hosts and a lone dot; a line break in a passphrase is refused', () => {
    assert.equal(remoteStdin('pw', 'h k1\nh k2\n'), 'pw\nh k1\nh k2\n.\n');
    assert.equal(remoteStdin(null, 'h k1'), '\nh k1\n.\n');
    assert.throws(() => remoteStdin('a\nb', ''));
  });

  test('borg create asks for progress and JSON; prune keeps what the retention says', () => {
    const args = borgCreateArgs({
      repoUrl: 'R',
      archiveName: 'A',
      paths: ['/p'],
      excludes: ['*.tmp'],
      compression: 'lz4',
    });
    assert.deepEqual(args, [
      'create',
      '--progress',
      '--log-json',
      '--json',
      '--compression',
      'lz4',
      '--exclude',
      '*.tmp',
      '--',
      'R::A',
      '/p',
    ]);
    assert.deepEqual(
      borgPruneArgs('R', { keepDaily: 7, keepWeekly: 0, keepMonthly: 6 }, archiveGlob('{hostname}-{now:%Y}')),
      [
        'prune',
        '--log-json',
        '--list',
        '--keep-daily',
        '7',
        '--keep-monthly',
        '6',
        '--glob-archives',
        '{hostname}-*',
        '--',
        'R',
      ],
    );
  });
});

describe("borg's JSON log", () => {
  test('archive_progress becomes progress; log messages and plain ssh lines become log lines', () => {
    const p = parseBorgLine(
      '{"type":"archive_progress","original_size":10,"compressed_size":5,"deduplicated_size":3,"nfiles":2,"path":"home/a","time":1}',
    );
    assert.deepEqual(p, {
      kind: 'progress',
      progress: {
        originalBytes: 10,
        compressedBytes: 5,
        deduplicatedBytes: 3,
        files: 2,
        currentPath: 'home/a',
      },
    });
    assert.deepEqual(
      parseBorgLine('{"type":"log_message","levelname":"ERROR","message":"Repository does not exist."}'),
      {
        kind: 'log',
        text: 'ERROR Repository does not exist.',
      },
    );
    assert.deepEqual(parseBorgLine('{"type":"archive_progress","finished":true}'), { kind: 'ignore' });
    assert.deepEqual(parseBorgLine('Permission denied (publickey).'), {
      kind: 'log',
      text: 'Permission denied (publickey).',
    });
    assert.deepEqual(parseBorgLine('{not json'), { kind: 'log', text: '{not json' });
  });

  test('the log keeps its tail within the bound', () => {
    const log = new BoundedLog(50);
    for (let i = 0; i < 20; i++) log.add(`line ${i}`);
    assert.ok(log.toString().length <= 60);
    assert.match(log.toString(), /line 19\n$/);
    assert.match(log.toString(), /^\[\.\.\.\]\n/);
  });
});

describe('what a run result means', () => {
  test('ssh failures are told apart: host key, authentication, unreachable', () => {
    const hostKey = outcomeOf(
      'backup',
      result({ code: 255, stderr: 'Host key verification failed.' }),
      '',
      opts,
    );
    assert.equal(hostKey.state, BackupRunState.FAILED);
    assert.match(hostKey.message, /not the pinned one \(SHA256:pinned\)/);
    assert.match(
      outcomeOf('backup', result({ code: 255, stderr: 'u@h: Permission denied (publickey).' }), '', opts)
        .message,
      /refused the hive's key/,
    );
    assert.match(
      outcomeOf(
        'backup',
        result({ code: 255, stderr: 'ssh: connect to host h port 1: Connection refused' }),
        '',
        opts,
      ).message,
      /client unreachable/,
    );
  });

  test("borg's exit codes: 0 ok, 1 warning, 2 error with its message; cancel and timeout", () => {
    assert.equal(outcomeOf('backup', result({ code: 0 }), '', opts).state, BackupRunState.SUCCEEDED);
    const warn = outcomeOf('backup', result({ code: 1 }), 'WARNING x\n', opts);
    assert.equal(warn.state, BackupRunState.SUCCEEDED);
    const err = outcomeOf(
      'backup',
      result({ code: 2 }),
      'INFO a\nERROR passphrase supplied in BORG_PASSPHRASE is incorrect.\n',
      opts,
    );
    assert.deepEqual([err.state, err.exitCode], [BackupRunState.FAILED, 2]);
    assert.match(err.message, /passphrase supplied .* is incorrect/);
    assert.equal(
      outcomeOf('backup', result({ code: 130 }), '', { ...opts, cancelled: true }).state,
      BackupRunState.CANCELLED,
    );
    assert.match(
      outcomeOf('backup', result({ code: null, timedOut: true }), '', opts).message,
      /timed out after 60 s/,
    );
  });
});

describe('schedules (croner)', () => {
  test('a 5-field expression in a known time zone is accepted; others are refused with the field', () => {
    assert.equal(scheduleProblem('30 2 * * *', 'Europe/Berlin'), null);
    assert.equal(scheduleProblem('30 2 * * *', 'Mars/Olympus')?.field, 'timezone');
    assert.equal(scheduleProblem('0 30 2 * * *', 'UTC')?.field, 'schedule');
    assert.equal(scheduleProblem('61 * * * *', 'UTC')?.field, 'schedule');
  });

  test('the next runs follow the time zone', () => {
    const from = new Date('2026-03-28T12:00:00Z');
    // Berlin switches to summer time in the night to 2026-03-29: 03:30 is 01:30Z from then on (02:30Z before)
    const runs = nextRuns('30 3 * * *', 'Europe/Berlin', from, 2).map((d) => d.toISOString());
    assert.deepEqual(runs, ['2026-03-29T01:30:00.000Z', '2026-03-30T01:30:00.000Z']);
  });
});

describe('ssh tools through the process port', () => {
  test('keyscan asks for the port with a bounded time, and an unanswering host gives no keys', async () => {
    const runner = new ScriptedProcessRunner({
      'ssh-keyscan': (spec) =>
        spec.args.includes('2222') ? { stdout: `[h]:2222 ${ED25519}\n` } : { code: 1 },
    });
    const tools = new SshTools(runner, 3);
    assert.deepEqual(await tools.scanHostKeys('h', 2222), [parsePublicKey(ED25519)]);
    assert.deepEqual(await tools.scanHostKeys('h', 22), []);
    assert.deepEqual(runner.calls[0]?.args, ['-T', '3', '-p', '2222', '-t', 'ed25519,ecdsa,rsa', '--', 'h']);
    assert.ok((runner.calls[0]?.timeoutMs ?? 0) > 3000);
  });

  test('a failing ssh-keygen is an error with its message', async () => {
    const tools = new SshTools(
      new ScriptedProcessRunner({ 'ssh-keygen': { code: 1, stderr: 'no entropy' } }),
    );
    await assert.rejects(tools.generateKeyPair('c'), /ssh-keygen failed: no entropy/);
  });
});
