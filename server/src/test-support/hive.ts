import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startHive, type Hive, type Overrides } from '../app.js';
import { loadConfig, type Config } from '../config/config.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export const ADMIN_PASSWORD = 'admin-password-1';

export interface GraphQLResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: {
    message: string;
    extensions?: { code?: string; problems?: { field: string; message: string }[] };
  }[];
}

export interface TestHive extends Hive {
  config: Config;
  gql<T = Record<string, unknown>>(
    token: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResult<T>>;
  login(username: string, password: string): Promise<string>;
  adminToken: string;
  /** Creates a user (through the API, as admin) and returns their session token. */
  newUser(username: string, opts?: { isAdmin?: boolean }): Promise<{ id: string; token: string }>;
  dispose(): Promise<void>;
}

/**
 * A real hive in this process on a free loopback port, with its own database (SQLite file or a fresh
 * MariaDB database) and repo path; dispose() stops it and removes everything.
 */
export async function startTestHive(
  opts: { dialect?: Config['database']['dialect']; env?: Record<string, string>; overrides?: Overrides } = {},
): Promise<TestHive> {
  const dir = mkdtempSync(join(tmpdir(), 'bh-hive-'));
  const db: TestDatabase = await createTestDatabase(opts.dialect ?? 'sqlite');
  const config = loadConfig({
    BORGHIVE_DATA_DIR: dir,
    BORGHIVE_DATABASE_URL: db.database.url,
    BORGHIVE_PORT: '0',
    BORGHIVE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    BORGHIVE_WATCH: 'false',
    BORGHIVE_LOG_LEVEL: process.env.BORGHIVE_TEST_LOG_LEVEL ?? 'silent',
    // tests create quickly; the limit's own tests set it (the count limits keep their defaults)
    BORGHIVE_LIMIT_CREATIONS_PER_MINUTE: '0',
    ...opts.env,
  });
  const logger = pino({ level: config.logLevel });
  const hive = await startHive(config, logger, opts.overrides);
  const url = hive.url;
  config.http.publicUrl = url;
  const gql = async <T>(token: string | null, query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResult<T>;
  };
  const login = async (username: string, password: string) => {
    const r = await gql<{ login: { token: string } }>(
      null,
      'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}',
      {
        u: username,
        p: password,
      },
    );
    if (!r.data?.login) throw new Error(`login ${username} failed: ${JSON.stringify(r.errors)}`);
    return r.data.login.token;
  };
  const adminToken = await login('admin', ADMIN_PASSWORD);
  const newUser = async (username: string, o: { isAdmin?: boolean } = {}) => {
    const r = await gql<{ createUser: { id: string } }>(
      adminToken,
      'mutation($i:CreateUserInput!){createUser(input:$i){id}}',
      {
        i: {
          username,
          password: `${username}-password`,
          email: `${username}@example.test`,
          isAdmin: o.isAdmin ?? false,
        },
      },
    );
    if (!r.data?.createUser) throw new Error(`createUser ${username}: ${JSON.stringify(r.errors)}`);
    return { id: r.data.createUser.id, token: await login(username, `${username}-password`) };
  };
  return {
    ...hive,
    config,
    gql,
    login,
    adminToken,
    newUser,
    dispose: async () => {
      await hive.stop();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
