import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../graphql/errors.js';
import type { BorgVersion } from '../repository/index.js';
import { AGENT_ID_PATTERN, AGENT_LEASE_MS, agentClaim, agentQueue } from './agent-lease.js';
import { BackupRunState, type MaintenanceTask } from './backup-enums.js';
import { BackupRun } from './backup-run.entity.js';
import type { BackupRunService } from './backup-run.service.js';

/** A maintenance run as the agent that claimed it needs it: what to run where. */
export interface AgentMaintenanceJob {
  runId: number;
  task: MaintenanceTask;
  repoUser: string;
  repoName: string;
  borgVersion: BorgVersion;
  /** whether the hive believes a session is open (BREAK_LOCK then needs a stale lock) */
  isOpen: boolean;
  leaseUntil: Date;
}

export interface AgentMaintenanceReport {
  state: BackupRunState;
  exitCode: number | null;
  message: string;
  log: string;
}

/** What an agent may report: how a run ended (the runs it cannot finish end through recover()). */
const REPORTABLE = [BackupRunState.SUCCEEDED, BackupRunState.FAILED, BackupRunState.CANCELLED];
export const MAX_REPORT_MESSAGE = 1000;
/** As much as a run of the hive keeps (BoundedLog). */
export const MAX_REPORT_LOG = 64 * 1024;

/**
 * The hive's side of maintenance run by `borg-hive agent` on a storage node (BackupRunService queues it):
 * an agent of the run's location claims it, renews its claim while borg works, and reports how it ended.
 * Every step is one conditional update, so a run is claimed once and ended once, whether by its agent's
 * report, a cancel before the claim, or recover() when the claim or its renewal did not come in time.
 */
export class AgentMaintenanceService {
  constructor(
    private readonly runs: BackupRunService,
    private readonly clock: Clock,
    private readonly leaseMs = AGENT_LEASE_MS,
  ) {}

  /** The oldest run queued for this location, now claimed by the agent; null when there is none. */
  async claim(em: Em, locationId: number, agentId: string): Promise<AgentMaintenanceJob | null> {
    checkAgentId(agentId);
    const now = this.clock.now();
    const queue = agentQueue(locationId);
    const queued = await em.find(
      BackupRun,
      {
        state: BackupRunState.QUEUED,
        leaseOwner: queue,
        leaseUntil: { $gte: now },
        repository: { location: locationId },
      },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 5, populate: ['repository'] },
    );
    for (const run of queued) {
      const leaseUntil = new Date(now.getTime() + this.leaseMs);
      const taken = await em.nativeUpdate(
        BackupRun,
        { id: run.id, state: BackupRunState.QUEUED, leaseOwner: queue },
        {
          state: BackupRunState.RUNNING,
          startedAt: now,
          leaseOwner: agentClaim(locationId, agentId),
          leaseUntil,
        },
      );
      if (taken !== 1) continue; // another agent of the location, or a cancel, was first
      await em.refresh(run, { populate: ['log'] });
      await this.runs.publishRun(em, run);
      const repo = run.repository.getEntity();
      return {
        runId: run.id,
        task: run.kind as unknown as MaintenanceTask,
        repoUser: repo.repoUser,
        repoName: repo.name,
        borgVersion: repo.borgVersion,
        isOpen: repo.isOpen,
        leaseUntil,
      };
    }
    return null;
  }

  /** Renews the agent's claim; says whether someone asked to cancel. CONFLICT once the run is not its own. */
  async renew(
    em: Em,
    locationId: number,
    agentId: string,
    runId: number,
  ): Promise<{ cancelRequested: boolean; leaseUntil: Date }> {
    checkAgentId(agentId);
    const leaseUntil = new Date(this.clock.now().getTime() + this.leaseMs);
    const renewed = await em.nativeUpdate(
      BackupRun,
      { id: runId, state: BackupRunState.RUNNING, leaseOwner: agentClaim(locationId, agentId) },
      { leaseUntil },
    );
    const run = await this.ownRun(em, locationId, runId);
    if (renewed !== 1) throw lost(run);
    return { cancelRequested: run.cancelRequested, leaseUntil };
  }

  /** Stores how the run ended, as its agent saw it; CONFLICT when it is not the agent's any more. */
  async report(
    em: Em,
    locationId: number,
    agentId: string,
    runId: number,
    report: AgentMaintenanceReport,
  ): Promise<BackupRun> {
    checkAgentId(agentId);
    const problems = reportProblems(report);
    if (problems.length > 0) throw BadUserInputError.fromProblems(problems);
    const run = await this.ownRun(em, locationId, runId);
    const ended = await em.nativeUpdate(
      BackupRun,
      { id: runId, state: BackupRunState.RUNNING, leaseOwner: agentClaim(locationId, agentId) },
      {
        state: report.state,
        exitCode: report.exitCode,
        message: report.message,
        log: report.log,
        finishedAt: this.clock.now(),
        leaseUntil: null,
      },
    );
    await em.refresh(run, { populate: ['log'] });
    if (ended !== 1) throw lost(run);
    await this.runs.agentRunEnded(em, run);
    return run;
  }

  /** A maintenance run queued for this location; any other (another location's, the hive's) is not found. */
  private async ownRun(em: Em, locationId: number, runId: number): Promise<BackupRun> {
    const run = await em.findOne(BackupRun, { id: runId }, { populate: ['log'] });
    const queue = agentQueue(locationId);
    const owner = run?.leaseOwner ?? '';
    if (!run || (owner !== queue && !owner.startsWith(`${queue}:`)))
      throw new NotFoundError('maintenance run of this location', runId);
    return run;
  }
}

function checkAgentId(agentId: string): void {
  if (!AGENT_ID_PATTERN.test(agentId))
    throw BadUserInputError.fromProblems([
      { field: 'agentId', message: `must match ${AGENT_ID_PATTERN.source} (the agent's id, a UUID)` },
    ]);
}

function lost(run: BackupRun): ConflictError {
  const why = run.state === BackupRunState.QUEUED ? 'not claimed' : run.state;
  return new ConflictError(
    `maintenance run ${run.id} is not this agent's to run: ${why}${run.message ? ` (${run.message})` : ''}`,
  );
}

function reportProblems(r: AgentMaintenanceReport): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!REPORTABLE.includes(r.state))
    problems.push({ field: 'result.state', message: `one of ${REPORTABLE.join(', ')}` });
  if (r.exitCode !== null && !(Number.isInteger(r.exitCode) && r.exitCode >= 0 && r.exitCode <= 255))
    problems.push({ field: 'result.exitCode', message: 'an exit status, 0 to 255, or null' });
  if (r.message.length > MAX_REPORT_MESSAGE)
    problems.push({ field: 'result.message', message: `at most ${MAX_REPORT_MESSAGE} characters` });
  if (r.log.length > MAX_REPORT_LOG)
    problems.push({ field: 'result.log', message: `at most ${MAX_REPORT_LOG} characters (its tail)` });
  return problems;
}
