import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { defaultOf, readCompose, type ComposeService } from './support/compose.js';
import { baseImages, copySources, envPairs, readDockerfile, type Instruction } from './support/dockerfile.js';
import { repoRoot } from './support/paths.js';
import { run } from './support/run.js';

// Container packaging checked without a Docker engine: the compose file, the Dockerfiles and what they
// copy, the configuration names they pass, secrets, pinned images, ports and volumes.
const compose = readCompose(join(repoRoot, 'docker-compose.yml'));
const service = (name: string): ComposeService => {
  const s = compose.services.get(name);
  assert.ok(s, `service ${name} is missing`);
  return s;
};
const built = [...compose.services.values()].filter((s) => s.build !== null);
const dockerfiles = built.map((s) => {
  const path = join(repoRoot, s.build?.context ?? '.', s.build?.dockerfile ?? 'Dockerfile');
  return {
    service: s,
    path,
    context: join(repoRoot, s.build?.context ?? '.'),
    instructions: readDockerfile(path),
  };
});
const hiveImage = dockerfiles.find((d) => d.service.name === 'hive');
const envOf = (instructions: Instruction[]): Map<string, string> =>
  new Map(instructions.filter((i) => i.name === 'ENV').flatMap((i) => [...envPairs(i)]));
const pinned = (image: string): boolean =>
  /@sha256:[0-9a-f]{64}$/.test(image) || /^[^:@\s]+:(?!latest)[^:@\s]*\d[^:@\s]*$/.test(image);

/** BORGHIVE_ names the config module reads (string literals in server/src/config/config.ts). */
const known = new Set(
  [
    ...readFileSync(join(repoRoot, 'server/src/config/config.ts'), 'utf8').matchAll(
      /'(BORGHIVE_[A-Z0-9_]+)'/g,
    ),
  ].map((m) => m[1]),
);

describe('docker-compose.yml', () => {
  test('has the hive, MariaDB, the directory, the storage node and an optional Redis', () => {
    assert.deepEqual([...compose.services.keys()].sort(), ['hive', 'mariadb', 'openldap', 'redis', 'sshd']);
    assert.deepEqual(service('redis').profiles, ['redis']);
    assert.equal(service('hive').environment.get('BORGHIVE_ACCOUNTS'), 'ldap');
    assert.match(service('hive').environment.get('BORGHIVE_LDAP_URL') ?? '', /^ldap:\/\/openldap:389/);
    assert.match(service('sshd').environment.get('BORGHIVE_API_URL') ?? '', /^http:\/\/hive:4000$/);
  });

  test('is accepted by docker compose when a Compose implementation is installed', async (t) => {
    const v2 = await run('docker', ['compose', 'version']).catch(() => null);
    const [cmd, args] = v2?.code === 0 ? ['docker', ['compose']] : ['docker-compose', []];
    const probe = await run(cmd, [...args, 'version']).catch(() => null);
    if (probe?.code !== 0) return t.skip('neither docker compose nor docker-compose is installed');
    const result = await run(cmd, [...args, '--profile', 'redis', 'config', '--quiet'], { cwd: repoRoot });
    assert.equal(result.code, 0, result.stderr);
  });

  test('passes the hive only configuration names the config module knows', () => {
    assert.ok(known.has('BORGHIVE_DATABASE_URL') && known.size > 15, 'config.ts was not read');
    const hiveNames = [
      ...service('hive').environment.keys(),
      ...(hiveImage ? envOf(hiveImage.instructions).keys() : []),
    ];
    for (const name of hiveNames.filter((n) => n.startsWith('BORGHIVE_'))) {
      assert.ok(known.has(name.replace(/_FILE$/, '')), `${name} is not read by server/src/config/config.ts`);
    }
  });

  test('hard-codes no secret: sensitive values are *_FILE under /run/secrets or ${VAR} references', () => {
    const sensitive = /PASSWORD|TOKEN|SECRET|BINDPW|DATABASE_URL|SMTP_URL|REDIS_URL/;
    for (const s of compose.services.values()) {
      for (const [name, value] of s.environment) {
        assert.doesNotMatch(value, /:\/\/[^/\s${}]+:[^/\s@]+@/, `${s.name}.${name} carries credentials`);
        if (!sensitive.test(name)) continue;
        if (name.endsWith('_FILE')) {
          const m = /^\/run\/secrets\/([a-z0-9_]+)$/.exec(value);
          assert.ok(m, `${s.name}.${name} must name /run/secrets/<secret>, got ${value}`);
          assert.ok(s.secrets.includes(m[1] ?? ''), `${s.name} reads secret ${m[1]} it is not given`);
        } else {
          assert.match(value, /^(\$\{[A-Z0-9_]+(:-)?\})?$/, `${s.name}.${name} must be *_FILE or \${VAR}`);
        }
      }
      for (const secret of s.secrets)
        assert.ok(compose.secrets.has(secret), `secret ${secret} is not declared`);
    }
    for (const [name, file] of compose.secrets)
      assert.match(file, /^\.\/secrets\/[a-z0-9_]+$/, `secret ${name}`);
    assert.match(readFileSync(join(repoRoot, '.gitignore'), 'utf8'), /^\/secrets\/$/m);
  });

  test('pins every image it pulls', () => {
    for (const s of compose.services.values()) {
      if (s.build === null)
        assert.ok(s.image !== null && pinned(s.image), `${s.name}: image ${s.image} is not pinned`);
    }
  });

  test('publishes 4000 for the API and 2222 for sshd, as the hive advertises', () => {
    const hive = service('hive');
    const sshd = service('sshd');
    assert.deepEqual(hive.ports, ['4000:4000']);
    assert.equal(sshd.ports.length, 1);
    const [published, target] = (sshd.ports[0] ?? '').split(/:(?=\d+$)/);
    assert.equal(target, '22');
    assert.equal(defaultOf(published ?? ''), '2222');
    assert.equal(
      hive.environment.get('BORGHIVE_SSH_PORT'),
      published,
      'BORGHIVE_SSH_PORT differs from the port',
    );
    assert.ok(hiveImage);
    assert.equal(envOf(hiveImage.instructions).get('BORGHIVE_PORT'), '4000');
    assert.equal(envOf(hiveImage.instructions).get('BORGHIVE_HOST'), '0.0.0.0');
  });

  test('mounts declared volumes only, and the same repository root in the hive and sshd', () => {
    const used = new Set<string>();
    for (const s of compose.services.values()) {
      for (const v of s.volumes) {
        const [source] = v.split(':');
        assert.ok(source && !source.startsWith('.') && !source.startsWith('/'), `${s.name}: bind mount ${v}`);
        assert.ok(compose.volumes.includes(source), `${s.name}: volume ${source} is not declared`);
        used.add(source);
      }
    }
    assert.deepEqual([...used].sort(), [...compose.volumes].sort(), 'a declared volume is unused');
    assert.ok(hiveImage);
    const env = envOf(hiveImage.instructions);
    assert.ok(service('hive').volumes.includes(`repos:${env.get('BORGHIVE_REPO_PATH')}`));
    assert.ok(service('sshd').volumes.includes(`repos:${env.get('BORGHIVE_REPO_PATH')}`));
    assert.ok(service('hive').volumes.includes(`hive-data:${env.get('BORGHIVE_DATA_DIR')}`));
  });
});

describe('the Dockerfiles', () => {
  test('exist for every built service and copy only files that are in the repository', () => {
    assert.deepEqual(built.map((s) => s.name).sort(), ['hive', 'openldap', 'sshd']);
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8');
    for (const d of dockerfiles) {
      for (const i of d.instructions.filter((x) => x.name === 'COPY' || x.name === 'ADD')) {
        for (const source of copySources(i)) {
          assert.ok(existsSync(join(d.context, source)), `${d.path}:${i.line}: ${source} does not exist`);
          const top = source.split('/')[0] ?? '';
          assert.doesNotMatch(ignored, new RegExp(`^${top}/?$`, 'm'), `${source} is in .dockerignore`);
        }
      }
    }
  });

  test('start from pinned base images', () => {
    for (const d of dockerfiles) {
      const images = baseImages(d.instructions);
      assert.ok(images.length > 0, d.path);
      for (const image of images) assert.ok(pinned(image), `${d.path}: FROM ${image} is not pinned`);
    }
  });

  test('run the hive built by npm run build, unprivileged, in production, with a /healthz check', () => {
    assert.ok(hiveImage);
    const { instructions } = hiveImage;
    assert.ok(instructions.some((i) => i.name === 'RUN' && /\bnpm ci\b/.test(i.args)));
    assert.ok(instructions.some((i) => i.name === 'RUN' && /\bnpm run build\b/.test(i.args)));
    assert.equal(envOf(instructions).get('NODE_ENV'), 'production');
    const user = instructions.filter((i) => i.name === 'USER').at(-1);
    assert.ok(user && !/^(root|0)(:|$)/.test(user.args), 'the hive must not run as root');
    assert.match(instructions.find((i) => i.name === 'HEALTHCHECK')?.args ?? '', /\/healthz/);
    // the same node flags as `npm start` (--expose-gc: start-up garbage goes back, see architecture.md)
    assert.equal(
      instructions.filter((i) => i.name === 'CMD').at(-1)?.args,
      '["node", "--expose-gc", "server/dist/main.js", "serve"]',
    );
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.match(manifest.scripts['start'] ?? '', /\bnode --expose-gc server\/dist\/main\.js serve$/);
  });

  test('build the storage node from the project sshd, nslcd, NSS and PAM files, ending in sshd -D -e', () => {
    const node = dockerfiles.find((d) => d.service.name === 'sshd');
    assert.ok(node);
    const copied = node.instructions.filter((i) => i.name === 'COPY').flatMap(copySources);
    for (const f of [
      'keys/borg-hive-keys.cjs',
      'sshd/sshd_config',
      'sshd/nslcd.conf',
      'sshd/nsswitch.conf',
      'sshd/pam.d/sshd',
    ]) {
      assert.ok(copied.includes(f), `sshd/Dockerfile does not copy ${f}`);
    }
    assert.equal(
      node.instructions.filter((i) => i.name === 'CMD').at(-1)?.args,
      '["/usr/sbin/sshd", "-D", "-e"]',
    );
    const entry = readFileSync(join(repoRoot, 'sshd/docker/entrypoint.sh'), 'utf8');
    assert.match(entry, /\/etc\/borg-hive\/keys\.env/);
    assert.match(entry, /\/usr\/sbin\/nslcd\nexec "\$@"\n$/);
  });

  test('copy executable entrypoints', () => {
    for (const f of ['sshd/docker/entrypoint.sh', 'ldap/docker/entrypoint.sh', 'scripts/docker-secrets.sh']) {
      assert.ok((statSync(join(repoRoot, f)).mode & 0o111) !== 0, `${f} is not executable`);
    }
  });

  test('pass hadolint when it is installed', async (t) => {
    const probe = await run('hadolint', ['--version']).catch(() => null);
    if (probe?.code !== 0) return t.skip('hadolint is not installed (not packaged in Debian bookworm)');
    for (const d of dockerfiles) {
      const result = await run('hadolint', ['--ignore', 'DL3008', d.path]);
      assert.equal(result.code, 0, `${d.path}\n${result.stdout}`);
    }
  });
});
