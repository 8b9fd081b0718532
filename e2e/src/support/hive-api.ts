import type { GraphQLResult, TestHive } from '@borg-hive/server/testing';

export type RepositoryMode = 'BORG' | 'IMPORT' | 'EXPORT';

export interface RepositoryInput {
  name?: string;
  mode?: RepositoryMode;
  sshKeyIds?: string[];
  appendOnlySshKeyIds?: string[];
  readOnlySshKeyIds?: string[];
  writeOnlySshKeyIds?: string[];
  borgVersion?: 'BORG1' | 'BORG2';
  quotaBytes?: number;
}

export interface CreatedRepository {
  id: string;
  name: string;
  repoUser: string;
  uid: number;
  path: string;
  /** What a borg client uses: ssh://<repoUser>@<host>:<port>/./<name> */
  url: string;
}

const REPOSITORY_FIELDS = 'id name repoUser uid path url';

/** Typed calls of the hive's GraphQL API for test set-up; every call throws on a GraphQL error. */
export class HiveApi {
  constructor(private readonly hive: TestHive) {}

  async call<T>(token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
    const result: GraphQLResult<T> = await this.hive.gql<T>(token, query, variables);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  async createApiToken(token: string, name: string, scope: string): Promise<string> {
    const data = await this.call<{ createApiToken: { token: string } }>(
      token,
      'mutation($n:String!,$s:TokenScope!){createApiToken(name:$n,scope:$s){token}}',
      { n: name, s: scope },
    );
    return data.createApiToken.token;
  }

  async addSshKey(token: string, name: string, publicKey: string): Promise<string> {
    const data = await this.call<{ addSshKey: { id: string } }>(
      token,
      'mutation($n:String!,$k:String!){addSshKey(name:$n,publicKey:$k){id}}',
      { n: name, k: publicKey },
    );
    return data.addSshKey.id;
  }

  async deleteSshKey(token: string, id: string): Promise<void> {
    await this.call(token, 'mutation($id:ID!){deleteSshKey(id:$id)}', { id });
  }

  async createRepository(
    token: string,
    input: RepositoryInput & { name: string },
  ): Promise<CreatedRepository> {
    const data = await this.call<{ createRepository: CreatedRepository }>(
      token,
      `mutation($i:CreateRepositoryInput!){createRepository(input:$i){${REPOSITORY_FIELDS}}}`,
      { i: input },
    );
    return data.createRepository;
  }

  async updateRepository(token: string, id: string, input: RepositoryInput): Promise<CreatedRepository> {
    const data = await this.call<{ updateRepository: CreatedRepository }>(
      token,
      `mutation($id:ID!,$i:UpdateRepositoryInput!){updateRepository(id:$id,input:$i){${REPOSITORY_FIELDS}}}`,
      { id, i: input },
    );
    return data.updateRepository;
  }

  async deleteRepository(token: string, id: string): Promise<void> {
    await this.call(token, 'mutation($id:ID!){deleteRepository(id:$id,deleteData:true)}', { id });
  }

  /** The repository's usage as last measured, its health, and its events of `type` (newest first). */
  async usageAndEvents(
    token: string,
    id: string,
    type: string,
  ): Promise<{
    usageBytes: number | null;
    health: { state: string; reason: string };
    events: { message: string }[];
  }> {
    const data = await this.call<{
      repository: {
        usageBytes: number | null;
        health: { state: string; reason: string };
        events: { type: string; message: string }[];
      };
    }>(token, 'query($id:ID!){repository(id:$id){usageBytes health{state reason} events{type message}}}', {
      id,
    });
    const { usageBytes, health, events } = data.repository;
    return { usageBytes, health, events: events.filter((e) => e.type === type) };
  }
}
