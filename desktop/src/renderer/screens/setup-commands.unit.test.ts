import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BORG_RSH_ADVICE, borgmaticSnippet, setupLines, sshParts } from './setup-commands.js';

const borg = {
  name: 'laptop',
  url: 'ssh://r1a2b3@backup.example.org:2222/./laptop',
  mode: 'BORG' as const,
  pingUrl: 'https://hive.example.org/ping/abc',
};

const byLabel = (lines: ReturnType<typeof setupLines>) => new Map(lines.map((line) => [line.label, line.value]));

test('a borg repository: borg init, the Vorta URL, the BORG_RSH keep-alive advice and the ping URL', () => {
  const lines = byLabel(setupLines(borg));
  assert.equal(lines.get('Repository URL'), borg.url);
  assert.equal(lines.get('Initialise'), `borg init --encryption=repokey-blake2 ${borg.url}`);
  assert.equal(lines.get('Vorta repository URL'), borg.url);
  assert.equal(lines.get('SSH keep-alive (BORG_RSH)'), BORG_RSH_ADVICE);
  assert.match(BORG_RSH_ADVICE, /^export BORG_RSH="ssh -o ServerAliveInterval=\d+ -o ServerAliveCountMax=\d+"$/);
  assert.equal(lines.get('Ping URL (borgmatic healthchecks)'), borg.pingUrl);
  assert.equal([...lines.keys()].some((label) => /rsync/i.test(label)), false);
});

test('IMPORT and EXPORT: an rsync command on the repository port, never borg init, Vorta or BORG_RSH', () => {
  const upload = setupLines({ ...borg, mode: 'IMPORT' });
  const download = setupLines({ ...borg, mode: 'EXPORT' });
  assert.equal(
    byLabel(upload).get('Upload (rsync)'),
    "rsync -av -e 'ssh -p 2222 -o ServerAliveInterval=30' ./ r1a2b3@backup.example.org:",
  );
  assert.equal(
    byLabel(download).get('Download (rsync)'),
    "rsync -av -e 'ssh -p 2222 -o ServerAliveInterval=30' r1a2b3@backup.example.org: ./",
  );
  for (const lines of [upload, download]) {
    const text = lines.map((line) => `${line.label} ${line.value}`).join('\n');
    assert.doesNotMatch(text, /borg init|Vorta|BORG_RSH/);
    assert.equal(byLabel(lines).get('Ping URL'), borg.pingUrl);
  }
});

test('ssh URL parts: default port 22, IPv6 hosts in brackets, other shapes refused', () => {
  assert.deepEqual(sshParts('ssh://u@h/./x'), { user: 'u', host: 'h', port: '22' });
  assert.deepEqual(sshParts('ssh://u@[2001:db8::1]:2200/./x'), { user: 'u', host: '[2001:db8::1]', port: '2200' });
  assert.equal(sshParts('/srv/borg/x'), null);
});

test('the borgmatic snippet reports through the healthchecks hook with the ping URL and keeps ssh alive', () => {
  const snippet = borgmaticSnippet(borg);
  assert.match(snippet, /^ {8}- ssh:\/\/r1a2b3@backup\.example\.org:2222\/\.\/laptop$/m);
  assert.match(snippet, /^ {4}healthchecks:\n {8}ping_url: https:\/\/hive\.example\.org\/ping\/abc$/m);
  assert.match(snippet, /ssh_command: ssh -o ServerAliveInterval=30/);
});
