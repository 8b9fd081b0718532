import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import { dialects } from '../../test-support/databases.js';
import { codeOf } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

const PREVIEW = 'query($s:String!,$z:String!,$n:Int){schedulePreview(schedule:$s,timezone:$z,count:$n)}';
const PREVIEW_DEFAULT = 'query($s:String!,$z:String!){schedulePreview(schedule:$s,timezone:$z)}';

type Preview = { schedulePreview: string[] };
type Problems = {
  errors?: { extensions?: { code?: string; problems?: { field: string; message: string }[] } }[];
};

const problemsOf = (r: Problems) => r.errors?.[0]?.extensions?.problems ?? [];

for (const dialect of dialects) {
  describe(`schedulePreview on ${dialect}`, () => {
    const clock = new ManualClock(new Date('2026-05-01T09:59:00Z'));
    let hive: TestHive;
    let alice: { id: string; token: string };

    before(async () => {
      hive = await startTestHive({ dialect, overrides: { clock, jobs: false } });
      alice = await hive.newUser('alice');
    });
    after(() => hive?.dispose());

    it('answers the next runs from the hive clock in the given zone (three by default)', async () => {
      const r = await hive.gql<Preview>(alice.token, PREVIEW_DEFAULT, {
        s: '30 2 * * *',
        z: 'Europe/Berlin',
      });
      assert.equal(r.errors, undefined);
      // 02:30 in Berlin (CEST, UTC+2) is 00:30 UTC; the clock is at 09:59 UTC on May 1st
      assert.deepEqual(r.data!.schedulePreview, [
        '2026-05-02T00:30:00.000Z',
        '2026-05-03T00:30:00.000Z',
        '2026-05-04T00:30:00.000Z',
      ]);
      const one = await hive.gql<Preview>(alice.token, PREVIEW, { s: '0 * * * *', z: 'UTC', n: 1 });
      assert.deepEqual(one.data!.schedulePreview, ['2026-05-01T10:00:00.000Z']);
    });

    it('lists at most 20 runs, and at least one', async () => {
      const many = await hive.gql<Preview>(alice.token, PREVIEW, { s: '* * * * *', z: 'UTC', n: 500 });
      assert.equal(many.errors, undefined);
      assert.equal(many.data!.schedulePreview.length, 20);
      assert.equal(many.data!.schedulePreview[0], '2026-05-01T10:00:00.000Z');
      assert.equal(many.data!.schedulePreview[19], '2026-05-01T10:19:00.000Z');
      const none = await hive.gql<Preview>(alice.token, PREVIEW, { s: '* * * * *', z: 'UTC', n: -3 });
      assert.equal(none.data!.schedulePreview.length, 1);
    });

    it('refuses a bad cron expression at the schedule field, with the reason', async () => {
      for (const s of ['61 * * * *', '* * *', 'every day']) {
        const r = await hive.gql(alice.token, PREVIEW, { s, z: 'UTC', n: 3 });
        assert.equal(codeOf(r), 'BAD_USER_INPUT', s);
        const problems = problemsOf(r);
        assert.equal(problems.length, 1, s);
        assert.equal(problems[0]!.field, 'schedule', s);
        assert.match(problems[0]!.message, /cron expression/, s);
      }
    });

    it('refuses an unknown time zone at the timezone field', async () => {
      const r = await hive.gql(alice.token, PREVIEW, { s: '0 3 * * *', z: 'Mars/Olympus', n: 3 });
      assert.equal(codeOf(r), 'BAD_USER_INPUT');
      assert.deepEqual(problemsOf(r), [
        { field: 'timezone', message: 'unknown time zone "Mars/Olympus" (IANA, e.g. Europe/Berlin)' },
      ]);
    });

    it('needs a signed-in user', async () => {
      const r = await hive.gql(null, PREVIEW, { s: '0 3 * * *', z: 'UTC', n: 3 });
      assert.equal(codeOf(r), 'UNAUTHENTICATED');
    });
  });
}
