import type { PostJson } from '../../adapters/outbound/post-json.js';
import type { GraphQLErrorBody } from './refused-reports.js';

/**
 * One GraphQL endpoint of the hive as `borg-hive agent` calls it with its AGENT token (the reports'
 * RemoteSink and the maintenance worker's RemoteMaintenanceApi). Each caller reads errors its own way.
 */
export class HiveGraphql {
  /** The hive's API, e.g. `https://hive.example/graphql` (`/graphql` is added when missing). */
  readonly url: string;

  constructor(
    apiUrl: string,
    private readonly token: string,
    private readonly post: PostJson,
    private readonly timeoutMs: number,
  ) {
    this.url = /\/graphql\/?$/.test(apiUrl) ? apiUrl : `${apiUrl.replace(/\/$/, '')}/graphql`;
  }

  /** Posts one operation; answers the HTTP status with the body's data and errors, as they came. */
  async call<T>(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ status: number; data?: T | null; errors?: GraphQLErrorBody[] }> {
    const res = await this.post(
      this.url,
      { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      JSON.stringify({ query, variables }),
      this.timeoutMs,
    );
    const body = res.body as { data?: T | null; errors?: GraphQLErrorBody[] };
    return { status: res.status, ...body };
  }
}
