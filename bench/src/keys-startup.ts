// Wall time of borg-hive-keys (one lookup against a local stand-in API that answers at once) compared
// with a bare `node -e 0` of the same Node. Run: npx tsc -b && npx node bench/dist/keys-startup.js [runs]
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 50);
const client = fileURLToPath(new URL('../../keys/borg-hive-keys.cjs', import.meta.url));
const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGoCrXh0fKMB3vckvlanxY4eRuptvGZx4qTPt5Hby5Ww bench@hive';
const line = `command="borg serve --umask 007 --restrict-to-repository /srv/repos/b3nchusr/main",restrict ${key}`;
const fingerprint = 'SHA256:hwdWJWh8hBAFGrRlESxc/OBE5REiA6P9MJy3SG1xgD0';
const answer = JSON.stringify({ data: { authorizedKeys: [line] } });

function time(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${args.join(' ')} exited ${code}`)),
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const server = createServer((request, response) => {
  request
    .resume()
    .on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(answer));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const env = {
  BORGHIVE_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  BORGHIVE_API_TOKEN: 'bench',
};
const bare: number[] = [];
const keys: number[] = [];
await time(['-e', '0'], {});
await time([client, '--user', 'b3nchusr', '--fingerprint', fingerprint], env);
for (let i = 0; i < runs; i++) {
  bare.push(await time(['-e', '0'], {}));
  keys.push(await time([client, '--user', 'b3nchusr', '--fingerprint', fingerprint], env));
}
server.close();
const [b, k] = [median(bare), median(keys)];
console.log(`node ${process.version}, ${runs} runs each, interleaved`);
console.log(`node -e 0        median ${b.toFixed(1)} ms`);
console.log(`borg-hive-keys   median ${k.toFixed(1)} ms (one lookup, stand-in API)`);
console.log(`ratio            ${(k / b).toFixed(2)} (goal <= 1.5)`);
