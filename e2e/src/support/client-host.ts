import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, runOk } from './run.js';
import { startSshd, type RunningSshd } from './sshd.js';

/**
 * A backup client for pull-mode tests: a system user on this machine with real borg, reached through
 * a second OpenSSH sshd on loopback with an ordinary client-side configuration (agent and unix-socket
 * forwarding allowed, keys from a root-owned authorized_keys file per user). Needs root.
 */
export interface ClientHost {
  sshd: RunningSshd;
  user: string;
  home: string;
  uid: number;
  gid: number;
  /** SHA256 fingerprint of its sshd host key (what the hive must pin). */
  hostKeyFingerprint: string;
  /** Replaces the user's authorized_keys with these lines. */
  authorize(lines: string[]): Promise<void>;
  /** Writes a file under the user's home (owned by the user). */
  writeFile(relative: string, data: string | Buffer): Promise<string>;
  dispose(): Promise<void>;
}

const CLIENT_SSHD_CONFIG = `# an ordinary backup client's sshd, for the test
AuthorizedKeysFile none
AuthorizedKeysCommand /bin/false %u
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM yes
StrictModes yes
PermitTTY no
AllowAgentForwarding yes
# ssh -R of a unix socket needs remote forwarding on; PermitListen none still refuses every TCP listen
AllowTcpForwarding remote
PermitListen none
AllowStreamLocalForwarding yes
StreamLocalBindUnlink yes
X11Forwarding no
PermitUserRC no
LogLevel VERBOSE
UseDNS no
PrintMotd no
`;

export async function startClientHost(dir: string): Promise<ClientHost> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const dispose = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    const user = `bhc${randomBytes(3).toString('hex')}`;
    const home = join(dir, `home-${user}`);
    await runOk('useradd', ['-m', '-d', home, '-s', '/bin/sh', '-K', 'UID_MIN=20000', user]);
    cleanups.push(() => run('userdel', ['-r', user]));
    const uid = Number((await runOk('id', ['-u', user])).trim());
    const gid = Number((await runOk('id', ['-g', user])).trim());
    // sshd wants authorized_keys in root-owned directories outside the world-writable temp dir
    const keysDir = `/usr/local/libexec/borg-hive-test/client-${randomBytes(6).toString('hex')}`;
    await mkdir(keysDir, { recursive: true, mode: 0o755 });
    await chmod(keysDir, 0o755);
    cleanups.push(() => rm(keysDir, { recursive: true, force: true }));
    const configFile = join(dir, `client-sshd-${user}.conf`);
    await writeFile(configFile, CLIENT_SSHD_CONFIG);
    const sshd = await startSshd({ configFile, authorizedKeysFile: `${keysDir}/%u` });
    cleanups.push(() => sshd.stop());
    const fingerprint = (await runOk('ssh-keygen', ['-l', '-E', 'sha256', '-f', sshd.hostKeyFile])).split(
      ' ',
    )[1]!;
    return {
      sshd,
      user,
      home,
      uid,
      gid,
      hostKeyFingerprint: fingerprint,
      authorize: async (lines) => {
        const file = join(keysDir, user);
        await writeFile(file, lines.map((l) => `${l}\n`).join(''), { mode: 0o644 });
        await chmod(file, 0o644);
      },
      writeFile: async (relative, data) => {
        const path = join(home, relative);
        const parts = relative.split('/').slice(0, -1);
        let at = home;
        for (const part of parts) {
          at = join(at, part);
          await mkdir(at, { recursive: true });
          await chown(at, uid, gid);
        }
        await writeFile(path, data);
        await chown(path, uid, gid);
        return path;
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
