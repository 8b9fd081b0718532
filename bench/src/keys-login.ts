// Time for a real ssh login (key auth up to the forced command) through borg-hive-keys and the hive, with
// 1,000 and 100,000 keys in the database, side by side with a plain authorized_keys file holding the same
// keys (the wanted one last). Needs root. Run: npx tsc -b && npx node bench/dist/keys-login.js [runs] [sizes...]
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { startKeysRig } from '../../e2e/dist/support/keys-rig.js';
import { makeClientKey } from '../../e2e/dist/support/ssh-keys.js';
import { keysClientTestDir, startSshd } from '../../e2e/dist/support/sshd.js';
import { fillKeys } from './keys-fill.js';
import { median, timeLogin, type LoginTiming } from './ssh-login-timer.js';

const runs = Number(process.argv[2] ?? 20);
const sizes = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [1_000, 100_000];

async function measure(size: number): Promise<{ hive: LoginTiming[]; file: LoginTiming[] }> {
  const rig = await startKeysRig();
  const fileDir = keysClientTestDir();
  let fileSshd: Awaited<ReturnType<typeof startSshd>> | undefined;
  try {
    const admin = rig.hive.adminToken;
    const key = await makeClientKey(rig.dir, 'wanted');
    const keyId = await rig.api.addSshKey(admin, 'wanted', key.publicKey);
    const repo = await rig.createRepository({ name: 'bench', sshKeyIds: [keyId] });
    const filling = performance.now();
    const filler = await fillKeys(rig.hive, size - 1, { repositoryId: repo.id });
    // The wanted key's line exactly as the hive prints it (asked in-process: the SQL fill blocked this
    // event loop long enough for fetch's kept-alive socket to be reset).
    const { authorizedKeys, orm } = rig.hive.services;
    const wanted = await authorizedKeys.lines(
      orm.em.fork() as Parameters<typeof authorizedKeys.lines>[0],
      repo.repoUser,
      null,
    );
    const lines = filler.map(
      (k, i) =>
        `command="borg serve --umask 007 --restrict-to-repository ${k.repositoryPath}",restrict ssh-ed25519 ${k.base64} filler${i}@bench`,
    );
    await mkdir(fileDir, { recursive: true, mode: 0o755 });
    await chmod(fileDir, 0o755);
    await writeFile(`${fileDir}/${repo.repoUser}`, [...lines, ...wanted, ''].join('\n'), { mode: 0o644 });
    console.log(
      `${size} keys: database and file ready in ${((performance.now() - filling) / 1000).toFixed(1)} s`,
    );
    fileSshd = await startSshd({ authorizedKeysFile: `${fileDir}/%u` });
    const result = { hive: [] as LoginTiming[], file: [] as LoginTiming[] };
    for (let i = -2; i < runs; i++) {
      const viaHive = await timeLogin(key, repo.repoUser, rig.sshd.port);
      const viaFile = await timeLogin(key, repo.repoUser, fileSshd.port);
      if (i >= 0) {
        result.hive.push(viaHive);
        result.file.push(viaFile);
      }
    }
    return result;
  } finally {
    await fileSshd?.stop();
    await rm(fileDir, { recursive: true, force: true });
    await rig.dispose();
  }
}

const ms = (values: number[]) => `${median(values).toFixed(0).padStart(5)} ms`;
console.log(
  `ssh login, median of ${runs} interleaved runs each (auth = until ssh reports "Authenticated to"; total = until the forced borg serve exits)`,
);
for (const size of sizes) {
  const { hive, file } = await measure(size);
  const [hiveAuth, fileAuth] = [median(hive.map((t) => t.authMs)), median(file.map((t) => t.authMs))];
  console.log(
    `${String(size).padStart(7)} keys  borg-hive-keys: auth ${ms(hive.map((t) => t.authMs))}, total ${ms(hive.map((t) => t.totalMs))}`,
  );
  console.log(
    `${' '.repeat(13)}authorized_keys: auth ${ms(file.map((t) => t.authMs))}, total ${ms(file.map((t) => t.totalMs))}`,
  );
  console.log(`${' '.repeat(13)}difference (hive - file, auth): ${(hiveAuth - fileAuth).toFixed(0)} ms`);
}
