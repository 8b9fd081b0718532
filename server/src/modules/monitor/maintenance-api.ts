import { fetchJson, type PostJson } from '../../adapters/outbound/post-json.js';
import { HiveGraphql } from './hive-graphql.js';

/** A maintenance run the agent claimed, as the hive's claimMaintenanceRun answers it. */
export interface ClaimedRun {
  runId: number;
  task: 'COMPACT' | 'CHECK' | 'BREAK_LOCK';
  repoUser: string;
  repoName: string;
  borgVersion: 'BORG1' | 'BORG2';
  isOpen: boolean;
}

export interface MaintenanceResult {
  state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  exitCode: number | null;
  message: string;
  log: string;
}

/** The hive's maintenance operations for an agent (AGENT token). */
export interface MaintenanceApi {
  claim(agentId: string): Promise<ClaimedRun | null>;
  renew(runId: number, agentId: string): Promise<{ cancelRequested: boolean }>;
  report(runId: number, agentId: string, result: MaintenanceResult): Promise<void>;
}

/** The hive answered with an error of its own (CONFLICT, NOT_FOUND, FORBIDDEN...): asking again will not help. */
export class HiveRefused extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const CLAIM =
  'mutation($a:String!){claimMaintenanceRun(agentId:$a){runId task repoUser repoName borgVersion isOpen}}';
const RENEW = 'mutation($r:ID!,$a:String!){renewMaintenanceRun(runId:$r,agentId:$a){cancelRequested}}';
const REPORT =
  'mutation($r:ID!,$a:String!,$x:MaintenanceReportInput!){reportMaintenanceRun(runId:$r,agentId:$a,result:$x)}';

/** MaintenanceApi over the hive's GraphQL endpoint. */
export class RemoteMaintenanceApi implements MaintenanceApi {
  readonly #hive: HiveGraphql;

  constructor(apiUrl: string, token: string, post: PostJson = fetchJson, timeoutMs = 15_000) {
    this.#hive = new HiveGraphql(apiUrl, token, post, timeoutMs);
  }

  async claim(agentId: string): Promise<ClaimedRun | null> {
    const data = await this.#call<{ claimMaintenanceRun: (ClaimedRun & { runId: string }) | null }>(CLAIM, {
      a: agentId,
    });
    const run = data.claimMaintenanceRun;
    return run === null ? null : { ...run, runId: Number(run.runId) };
  }

  async renew(runId: number, agentId: string): Promise<{ cancelRequested: boolean }> {
    const data = await this.#call<{ renewMaintenanceRun: { cancelRequested: boolean } }>(RENEW, {
      r: String(runId),
      a: agentId,
    });
    return data.renewMaintenanceRun;
  }

  async report(runId: number, agentId: string, result: MaintenanceResult): Promise<void> {
    await this.#call(REPORT, { r: String(runId), a: agentId, x: result });
  }

  async #call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const body = await this.#hive.call<T>(query, variables);
    const error = body.errors?.[0];
    if (error) {
      const code = error.extensions?.code ?? '';
      const message = `hive answered ${body.status}: ${error.message}`;
      // an internal error or a server's status page may pass; an answer about the request itself will not
      throw code !== '' && code !== 'INTERNAL_SERVER_ERROR'
        ? new HiveRefused(message, code)
        : new Error(message);
    }
    if (!body.data) throw new Error(`hive answered ${body.status} without data`);
    return body.data;
  }
}
