import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../test-support/databases.js';
import { codeOf, createToken, defaultLocationId, newPublicKey } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

const UPDATE =
  'mutation($id:ID!,$n:String!,$h:String!,$p:Int!,$d:Boolean!){updateLocation(id:$id,name:$n,sshHost:$h,sshPort:$p,isDefault:$d){id name sshHost sshPort isDefault}}';
const DELETE = 'mutation($id:ID!){deleteLocation(id:$id)}';
type Location = { id: string; name: string; sshHost: string; sshPort: number; isDefault: boolean };

for (const dialect of dialects) {
  describe(`editing and deleting storage locations on ${dialect}`, () => {
    let hive: TestHive;
    let home: string;
    let user: { id: string; token: string };
    const create = async (name: string): Promise<string> => {
      const r = await hive.gql<{ createLocation: { id: string } }>(
        hive.adminToken,
        'mutation($n:String!){createLocation(name:$n,sshHost:"node.example"){id}}',
        { n: name },
      );
      assert.ok(r.data, JSON.stringify(r.errors));
      return r.data.createLocation.id;
    };
    const locations = async (): Promise<Location[]> =>
      (
        await hive.gql<{ locations: Location[] }>(
          hive.adminToken,
          '{locations{id name sshHost sshPort isDefault}}',
        )
      ).data!.locations;

    before(async () => {
      hive = await startTestHive({ dialect });
      home = await defaultLocationId(hive);
      user = await hive.newUser('lena');
    });
    after(() => hive?.dispose());

    it('an admin edits a location; bad fields are named, nothing changes; a non-admin is refused', async () => {
      const id = await create('node-b');
      const bad = await hive.gql(hive.adminToken, UPDATE, { id, n: ' x', h: 'a b', p: 0, d: false });
      assert.equal(codeOf(bad), 'BAD_USER_INPUT');
      const problems = (bad.errors?.[0]?.extensions?.['problems'] as { field: string }[]).map((p) => p.field);
      assert.deepEqual(problems, ['name', 'sshHost', 'sshPort']);
      assert.equal(
        codeOf(await hive.gql(user.token, UPDATE, { id, n: 'x', h: 'h', p: 22, d: false })),
        'FORBIDDEN',
      );
      assert.equal(
        codeOf(await hive.gql(hive.adminToken, UPDATE, { id: '99999', n: 'x', h: 'h', p: 22, d: false })),
        'NOT_FOUND',
      );
      const before = (await locations()).find((l) => l.id === id);
      assert.deepEqual(before, {
        id,
        name: 'node-b',
        sshHost: 'node.example',
        sshPort: 22,
        isDefault: false,
      });

      const r = await hive.gql<{ updateLocation: Location }>(hive.adminToken, UPDATE, {
        id,
        n: 'node-b2',
        h: 'node-b2.example',
        p: 2222,
        d: true,
      });
      assert.deepEqual(r.data?.updateLocation, {
        id,
        name: 'node-b2',
        sshHost: 'node-b2.example',
        sshPort: 2222,
        isDefault: true,
      });
      assert.deepEqual(
        (await locations()).filter((l) => l.isDefault).map((l) => l.id),
        [id],
        'one default',
      );
      const undefault = await hive.gql(hive.adminToken, UPDATE, {
        id,
        n: 'node-b2',
        h: 'h',
        p: 22,
        d: false,
      });
      assert.equal(codeOf(undefault), 'BAD_USER_INPUT', 'another location becomes the default instead');
      // back to the original default for the next test
      const restored = await hive.gql(hive.adminToken, UPDATE, {
        id: home,
        n: 'default',
        h: 'localhost',
        p: 22,
        d: true,
      });
      assert.equal(restored.errors, undefined, JSON.stringify(restored.errors));
    });

    it('deletes an unused location; refuses the default one and one that repositories or tokens use', async () => {
      const unused = await create('spare');
      const withRepository = await create('with-repo');
      const withToken = await create('with-token');
      const made = await hive.gql(
        hive.adminToken,
        'mutation($l:ID){createRepository(input:{name:"r1",locationId:$l}){id}}',
        {
          l: withRepository,
        },
      );
      assert.equal(made.errors, undefined, JSON.stringify(made.errors));
      await createToken(hive, hive.adminToken, 'AGENT', 'agent', withToken);

      assert.equal(codeOf(await hive.gql(user.token, DELETE, { id: unused })), 'FORBIDDEN');
      assert.equal(codeOf(await hive.gql(hive.adminToken, DELETE, { id: home })), 'CONFLICT');
      assert.equal(codeOf(await hive.gql(hive.adminToken, DELETE, { id: withRepository })), 'CONFLICT');
      assert.equal(codeOf(await hive.gql(hive.adminToken, DELETE, { id: withToken })), 'CONFLICT');
      const ok = await hive.gql<{ deleteLocation: boolean }>(hive.adminToken, DELETE, { id: unused });
      assert.equal(ok.data?.deleteLocation, true, JSON.stringify(ok.errors));
      const left = (await locations()).map((l) => l.name).sort();
      assert.ok(!left.includes('spare'));
      assert.ok(left.includes('with-repo') && left.includes('with-token'));
    });

    it('updateLocation sets the storage node’s host keys: validated, fingerprints shown, cleared with []', async () => {
      const id = await create('node-keys');
      const KEYS =
        'mutation($id:ID!,$k:[String!]){updateLocation(id:$id,name:"node-keys",sshHost:"node.example",sshPort:22,isDefault:false,hostKeys:$k){id hostKeys hostKeyFingerprints}}';
      const ed = newPublicKey('ed25519', 'root@node');
      const ecdsa = newPublicKey('ecdsa', 'root@node');
      const fingerprint = (key: string) =>
        execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], { input: key })
          .toString()
          .split(' ')[1];

      const bad = await hive.gql(hive.adminToken, KEYS, {
        id,
        k: [ed, 'ssh-ed25519 not-base64!', `ssh-rsa ${ed.split(' ')[1]}`],
      });
      assert.equal(codeOf(bad), 'BAD_USER_INPUT');
      const problems = bad.errors?.[0]?.extensions?.['problems'] as { field: string; message: string }[];
      assert.deepEqual(
        problems.map((p) => p.message.slice(0, 5)),
        ['key 2', 'key 3'],
        'a line that is no key, and a key under another type’s name',
      );
      assert.ok(problems.every((p) => p.field === 'hostKeys'));
      const tooMany = await hive.gql(hive.adminToken, KEYS, { id, k: Array.from({ length: 17 }, () => ed) });
      assert.equal(codeOf(tooMany), 'BAD_USER_INPUT');
      assert.equal(codeOf(await hive.gql(user.token, KEYS, { id, k: [ed] })), 'FORBIDDEN');
      const unchanged = await hive.gql<{ locations: { id: string; hostKeys: string[] }[] }>(
        hive.adminToken,
        '{locations{id hostKeys}}',
      );
      assert.deepEqual(unchanged.data!.locations.find((l) => l.id === id)!.hostKeys, [], 'nothing saved');

      const set = await hive.gql<{ updateLocation: { hostKeys: string[]; hostKeyFingerprints: string[] } }>(
        hive.adminToken,
        KEYS,
        { id, k: [ed, ecdsa, ` ${ed} `] },
      );
      assert.equal(set.errors, undefined, JSON.stringify(set.errors));
      const strip = (key: string) => key.split(' ').slice(0, 2).join(' ');
      assert.deepEqual(
        set.data!.updateLocation.hostKeys,
        [strip(ed), strip(ecdsa)],
        'each key once, no comment',
      );
      assert.deepEqual(set.data!.updateLocation.hostKeyFingerprints, [fingerprint(ed), fingerprint(ecdsa)]);
      const kept = await hive.gql<{ updateLocation: { hostKeys: string[] } }>(
        hive.adminToken,
        'mutation($id:ID!){updateLocation(id:$id,name:"node-keys",sshHost:"node2.example",sshPort:22,isDefault:false){hostKeys}}',
        { id },
      );
      assert.equal(kept.data!.updateLocation.hostKeys.length, 2, 'left out: unchanged');
      const cleared = await hive.gql<{ updateLocation: { hostKeys: string[] } }>(hive.adminToken, KEYS, {
        id,
        k: [],
      });
      assert.deepEqual(cleared.data!.updateLocation.hostKeys, []);
    });
  });
}
