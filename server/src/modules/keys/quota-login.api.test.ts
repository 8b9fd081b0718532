import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import { eventually } from '../../test-support/eventually.js';
import { dialects } from '../../test-support/databases.js';
import { addKey, createRepo, createToken, newPublicKey } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

const MiB = 1024 ** 2;
const QUOTA = 10 * MiB;
const OVER = 12 * MiB;

interface Health {
  health: { state: string; reason: string };
  quotaBytes: number | null;
  usageBytes: number | null;
}

for (const dialect of dialects) {
  describe(`quota at login (borg 2, rsync) on ${dialect}`, () => {
    let hive: TestHive;
    let keysToken: string;
    let keys: Record<'full' | 'ao' | 'ro' | 'wo', { id: string; fingerprint: string }>;

    const lines = async (user: string, fingerprint?: string) => {
      const r = await hive.gql<{ authorizedKeys: string[] }>(
        keysToken,
        'query($u:String!,$f:String){authorizedKeys(user:$u,fingerprint:$f)}',
        { u: user, f: fingerprint },
      );
      assert.equal(r.errors, undefined);
      return r.data?.authorizedKeys ?? [];
    };
    /** What the monitor reports after a session: the usage it measured. */
    const measured = async (repo: { repoUser: string; name: string }, usageBytes: number) => {
      const em = hive.services.orm.em.fork() as Em;
      const at = new Date();
      await hive.services.reports.ingest(em, [
        { repoUser: repo.repoUser, repoName: repo.name, type: 'MEASURED', at, usageBytes },
      ]);
    };
    const health = async (id: string) => {
      const r = await hive.gql<{ repository: Health }>(
        hive.adminToken,
        'query($id:ID!){repository(id:$id){health{state reason} quotaBytes usageBytes}}',
        { id },
      );
      assert.ok(r.data?.repository, JSON.stringify(r.errors));
      return r.data.repository;
    };
    const setQuota = async (id: string, quotaBytes: number) => {
      const r = await hive.gql(
        hive.adminToken,
        'mutation($id:ID!,$q:Float){updateRepository(id:$id,input:{quotaBytes:$q}){id}}',
        { id, q: quotaBytes },
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    };
    const refusals = async () => {
      const r = await hive.gql<{
        auditLog: {
          entries: { operation: string; target: string; outcome: string; via: string; details: string }[];
        };
      }>(
        hive.adminToken,
        '{auditLog(filter:{operation:"sshLoginRefused"}){entries{operation target outcome via details}}}',
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return r.data?.auditLog.entries ?? [];
    };

    before(async () => {
      hive = await startTestHive({ dialect });
      keysToken = await createToken(hive, hive.adminToken, 'KEYS_READ');
      keys = {
        full: await addKey(hive, hive.adminToken, 'full', newPublicKey('ed25519', 'full@host')),
        ao: await addKey(hive, hive.adminToken, 'ao', newPublicKey('ed25519', 'ao@host')),
        ro: await addKey(hive, hive.adminToken, 'ro', newPublicKey('ed25519', 'ro@host')),
        wo: await addKey(hive, hive.adminToken, 'wo', newPublicKey('ed25519', 'wo@host')),
      };
    });
    after(() => hive.dispose());

    it('accepts a quota on BORG2, IMPORT and EXPORT repositories', async () => {
      const inputs: [string, Record<string, string>][] = [
        ['two', { borgVersion: 'BORG2' }],
        ['import', { mode: 'IMPORT' }],
        ['export', { mode: 'EXPORT' }],
      ];
      for (const [name, input] of inputs) {
        const repo = await createRepo(hive, hive.adminToken, {
          name: `accept-${name}`,
          quotaBytes: QUOTA,
          ...input,
        });
        assert.equal((await health(repo.id)).quotaBytes, QUOTA);
      }
    });

    it('BORG2 over its quota: writing keys get the refusal, read-only keeps borg2 serve; raising it lets them in', async () => {
      const repo = await createRepo(hive, hive.adminToken, {
        name: 'full2',
        borgVersion: 'BORG2',
        quotaBytes: QUOTA,
        sshKeyIds: [keys.full.id],
        appendOnlySshKeyIds: [keys.ao.id],
        readOnlySshKeyIds: [keys.ro.id],
        writeOnlySshKeyIds: [keys.wo.id],
      });
      await measured(repo, QUOTA - 1);
      assert.ok(
        (await lines(repo.repoUser)).every((l) => l.includes(' serve --rest ')),
        'under: all serve',
      );
      assert.equal((await health(repo.id)).health.state, 'NEVER_BACKED_UP');

      await measured(repo, OVER);
      const refused = `borg-hive-keys --refuse over-quota full2 ${OVER} ${QUOTA}`;
      const out = await lines(repo.repoUser);
      assert.equal(out.length, 4);
      assert.deepEqual(
        out.map((l) => /^command="([^"]*)"/.exec(l)?.[1]),
        [
          refused,
          refused,
          `borg2 serve --rest --umask 007 --restrict-to-repository ${repo.path} --permissions read-only`,
          refused,
        ],
      );
      assert.match(out[0] ?? '', /",restrict ssh-ed25519 \S+ full@host$/);
      const h = await health(repo.id);
      assert.equal(h.usageBytes, OVER);
      assert.equal(h.health.state, 'FAILED');
      assert.equal(
        h.health.reason,
        'over its quota: 12.6 MB used of 10.5 MB; logins that write are refused until the quota is raised or space is freed',
      );

      await setQuota(repo.id, 20 * MiB);
      assert.ok(
        (await lines(repo.repoUser)).every((l) => l.includes(' serve --rest ')),
        'raised: all serve',
      );
      assert.equal((await health(repo.id)).health.state, 'NEVER_BACKED_UP');
      await setQuota(repo.id, 0);
      assert.ok(
        (await lines(repo.repoUser)).every((l) => l.includes(' serve --rest ')),
        'no quota: all serve',
      );
    });

    it('IMPORT over its quota is refused, EXPORT never is, BORG1 keeps --storage-quota', async () => {
      const imp = await createRepo(hive, hive.adminToken, {
        name: 'imp',
        mode: 'IMPORT',
        quotaBytes: QUOTA,
        sshKeyIds: [keys.full.id],
      });
      const exp = await createRepo(hive, hive.adminToken, {
        name: 'exp',
        mode: 'EXPORT',
        quotaBytes: QUOTA,
        sshKeyIds: [keys.full.id],
      });
      const one = await createRepo(hive, hive.adminToken, {
        name: 'one',
        quotaBytes: QUOTA,
        sshKeyIds: [keys.full.id],
      });
      for (const repo of [imp, exp, one]) await measured(repo, OVER);
      const [refusal, ...rest] = await lines(imp.repoUser);
      assert.deepEqual(rest, []);
      assert.match(
        refusal ?? '',
        new RegExp(
          `^command="borg-hive-keys --refuse over-quota imp ${OVER} ${QUOTA}",restrict ssh-ed25519 \\S+ full@host$`,
        ),
      );
      assert.match((await lines(exp.repoUser))[0] ?? '', /^command="rrsync -ro /);
      assert.match(
        (await lines(one.repoUser))[0] ?? '',
        new RegExp(`^command="borg serve --umask 007 --storage-quota ${QUOTA} --restrict-to-repository `),
      );
      assert.equal((await health(imp.id)).health.state, 'FAILED');
      assert.equal((await health(exp.id)).health.state, 'NEVER_BACKED_UP');
      assert.equal((await health(one.id)).health.state, 'NEVER_BACKED_UP');
    });

    it('records a refused login in the audit trail, once a minute per key, with the reason', async () => {
      const repo = await createRepo(hive, hive.adminToken, {
        name: 'audited',
        mode: 'IMPORT',
        quotaBytes: QUOTA,
        sshKeyIds: [keys.full.id, keys.ao.id],
      });
      await measured(repo, OVER);
      assert.equal((await lines(repo.repoUser)).length, 2);
      assert.deepEqual(await refusals(), [], 'a lookup without a fingerprint is no login');
      for (let i = 0; i < 3; i++) await lines(repo.repoUser, keys.full.fingerprint);
      await lines(repo.repoUser, keys.ao.fingerprint);
      // the lines are written off the lookup path
      let found = await refusals();
      for (let i = 0; i < 100 && found.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 20));
        found = await refusals();
      }
      assert.equal(found.length, 2, JSON.stringify(found));
      for (const entry of found) {
        assert.equal(entry.target, repo.id);
        assert.equal(entry.outcome, 'OVER_QUOTA');
        assert.equal(entry.via, 'ssh');
        const details = JSON.parse(entry.details) as Record<string, unknown>;
        assert.equal(details.repoName, 'audited');
        assert.equal(details.usedBytes, OVER);
        assert.equal(details.quotaBytes, QUOTA);
        assert.match(String(details.reason), /^over its quota: /);
      }
      assert.deepEqual(
        found.map((e) => (JSON.parse(e.details) as { fingerprint: string }).fingerprint).sort(),
        [keys.full.fingerprint, keys.ao.fingerprint].sort(),
      );
      // and in the repository's timeline: one LOGIN_REFUSED per key, saying which key and why
      const refusedEvents = async () => {
        const r = await hive.gql<{ repository: { events: { type: string; message: string }[] } }>(
          hive.adminToken,
          'query($id:ID!){repository(id:$id){events{type message}}}',
          { id: repo.id },
        );
        assert.equal(r.errors, undefined, JSON.stringify(r.errors));
        return (r.data?.repository.events ?? []).filter((e) => e.type === 'LOGIN_REFUSED');
      };
      const events = await eventually('two LOGIN_REFUSED events', async () => {
        const found = await refusedEvents();
        return found.length >= 2 ? found : undefined;
      });
      assert.equal(events.length, 2, JSON.stringify(events));
      for (const fingerprint of [keys.full.fingerprint, keys.ao.fingerprint]) {
        const event = events.find((e) => e.message.includes(fingerprint));
        assert.ok(event, JSON.stringify(events));
        assert.equal(
          event.message,
          `ssh login of key ${fingerprint} refused: repository over its quota: 12.6 MB used of 10.5 MB; ` +
            'logins that write are refused until the quota is raised or space is freed',
        );
      }
    });
  });
}
