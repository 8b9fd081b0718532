import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import {
  BackupClient,
  BackupRun,
  BackupRunKind,
  BackupRunState,
  type Em,
  startTestHive,
  type TestHive,
} from '@borg-hive/server/testing';
import { assertFieldProblem, assertSchedulePreview } from './support/console-form.js';
import { launchChromium, screenshot, signInToConsole } from './support/browser.js';
import { rendererIndex, repoRoot } from './support/paths.js';

const run = promisify(execFile);
const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBpsj6TEu7wNyl+ztvWTYxJKkGKcFnTlIXf6p8dQ8gD4';

let hive: TestHive;
let browser: Browser;
let page: Page;
let runId: number;
let repositoryId: string;

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  hive = await startTestHive({ overrides: { jobs: false } });
  const repo = await hive.gql<{ createRepository: { id: string } }>(
    hive.adminToken,
    'mutation{createRepository(input:{name:"laptop"}){id}}',
  );
  repositoryId = repo.data!.createRepository.id;
  // a client as registration stores it (registering needs a live sshd: backup-pull.test.ts does that)
  const em = hive.services.orm.em.fork() as Em;
  const client = em.create(BackupClient, {
    name: 'laptop',
    host: '192.0.2.10',
    port: 22,
    user: 'anna',
    hostKey: HOST_KEY,
    hostKeyFingerprint: 'SHA256:pinned-fingerprint-shown',
    publicKey: `${HOST_KEY} borg-hive@laptop`,
    privateKeySealed: 'unused',
    owner: 1,
  });
  await em.flush();
  const job = await hive.gql<{ createBackupJob: { id: string } }>(
    hive.adminToken,
    'mutation($i:BackupJobInput!){createBackupJob(input:$i){id}}',
    {
      i: {
        name: 'home',
        clientId: String(client.id),
        repositoryId,
        paths: ['/home/anna'],
        schedule: '30 2 * * *',
        timezone: 'Europe/Berlin',
        retention: { keepDaily: 7 },
      },
    },
  );
  assert.equal(job.errors, undefined, JSON.stringify(job.errors));
  const running = em.create(BackupRun, {
    kind: BackupRunKind.BACKUP,
    state: BackupRunState.RUNNING,
    job: Number(job.data!.createBackupJob.id),
    repository: Number(repositoryId),
    startedAt: new Date(),
    leaseOwner: hive.services.backupRuns.leaseOwner,
    leaseUntil: new Date(Date.now() + 3_600_000),
    stats: null,
  });
  await em.flush();
  runId = running.id;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});

after(async () => {
  await browser?.close();
  await hive?.dispose();
});

test('console: clients with their line and fingerprint, jobs with next runs, a run page with live progress', async () => {
  await signInToConsole(page, hive.url);
  await page.getByRole('link', { name: 'Backups' }).click();

  const clients = page.getByRole('table', { name: 'Backup clients' });
  await clients.getByText('SHA256:pinned-fingerprint-shown').waitFor();
  const line = await page.getByLabel('authorized_keys line for laptop').inputValue();
  assert.equal(line, `restrict,agent-forwarding,port-forwarding ${HOST_KEY} borg-hive@laptop`);

  const jobs = page.getByRole('table', { name: 'Backup jobs' });
  await jobs.getByText('30 2 * * * (Europe/Berlin)').waitFor();
  assert.match((await jobs.textContent()) ?? '', /daily 7/);
  assert.equal(await jobs.getByRole('button', { name: 'Run now' }).count(), 1);
  await screenshot(page, 'backups');

  // the job form's schedule fields (shared with maintenance schedules): the hive's problem at the field
  const jobForm = page.getByRole('form', { name: 'Add a job' });
  await jobForm.getByLabel('Name', { exact: true }).fill('bad-cron');
  await jobForm.getByLabel('Repository id').fill(repositoryId);
  await jobForm.getByLabel(/^Paths/).fill('/home/anna');
  const schedule = jobForm.getByLabel(/^Schedule/);
  // before saving, as it is typed: the hive's next runs in words, or its problem at the field
  await schedule.fill('30 2 * * *');
  await jobForm.getByLabel('Time zone').fill('Europe/Berlin');
  await assertSchedulePreview(page, jobForm, hive, '30 2 * * *', 'Europe/Berlin');
  await screenshot(page, 'job-form-schedule-preview');
  await schedule.fill('61 2 * * *');
  await assertFieldProblem(page, schedule, /invalid cron expression/);
  await jobForm.getByTestId('schedule-preview').waitFor({ state: 'detached' });
  assert.equal(await jobs.getByText('bad-cron').count(), 0, 'nothing saved while typing');
  await jobForm.getByRole('button', { name: 'Add job' }).click();
  await assertFieldProblem(page, schedule, /invalid cron expression/);
  assert.equal(await jobs.getByText('bad-cron').count(), 0, 'nothing saved');

  await page.getByRole('link', { name: `BACKUP #${runId}` }).click();
  await page.getByRole('heading', { name: `BACKUP run #${runId}: RUNNING` }).waitFor();
  // progress as a run publishes it; repeated until the page's subscription is live
  for (let attempt = 0; attempt < 50; attempt++) {
    await hive.services.bus.publish('backupRunChanged', {
      repositoryId: Number(repositoryId),
      ownerId: 1,
      groupIds: [],
      run: {
        id: runId,
        kind: 'BACKUP',
        state: 'RUNNING',
        jobId: null,
        repositoryId: Number(repositoryId),
        startedAt: new Date().toISOString(),
        finishedAt: null,
        exitCode: null,
        archiveName: null,
        message: null,
        log: 'INFO Creating archive at "ssh://…"\n',
        progress: {
          originalBytes: 5 * 2 ** 20,
          compressedBytes: 2 ** 20,
          deduplicatedBytes: 2 ** 20,
          files: 42,
          currentPath: 'home/anna/notes.txt',
        },
        statistics: null,
        createdAt: new Date().toISOString(),
      },
    });
    if ((await page.getByText('in 42 files').count()) > 0) break;
    await page.waitForTimeout(200);
  }
  await page.getByText('in 42 files').waitFor();
  assert.match((await page.getByLabel('run log').textContent()) ?? '', /Creating archive/);
  assert.equal(await page.getByRole('progressbar', { name: 'backup progress' }).count(), 1);
  await screenshot(page, 'backup-run-live');

  await page.goto(`${hive.url}/#/hive/local/repository/${repositoryId}`);
  const maintenance = page.getByLabel('Maintenance');
  await maintenance.getByRole('button', { name: 'Compact' }).waitFor();
  assert.equal(await maintenance.getByRole('button', { name: 'Break lock' }).count(), 1);
});
