import { ldapTool } from './ldap-tools.js';
import { startTestHive, type TestHive } from './hive.js';
import { startSlapd, type TestSlapd } from './slapd.js';

export interface LdapHive {
  slapd: TestSlapd;
  hive: TestHive;
  /** BORGHIVE_ACCOUNTS=ldap and the BORGHIVE_LDAP_* settings the hive runs with. */
  ldapEnv: Record<string, string>;
  /** uid=<repo user>,<base DN> */
  dn(repoUser: string): string;
  /** The uid of every posix account directly under the base DN, sorted. */
  posixUids(): Promise<string[]>;
  dispose(): Promise<void>;
}

/** A throwaway slapd and a real hive writing repository users into it (BORGHIVE_ACCOUNTS=ldap). */
export async function startLdapHive(): Promise<LdapHive> {
  const slapd = await startSlapd();
  const ldapEnv = {
    BORGHIVE_ACCOUNTS: 'ldap',
    BORGHIVE_LDAP_URL: slapd.url,
    BORGHIVE_LDAP_BIND_DN: slapd.bindDn,
    BORGHIVE_LDAP_BIND_PASSWORD: slapd.bindPassword,
    BORGHIVE_LDAP_USER_BASEDN: slapd.baseDn,
  };
  let hive: TestHive;
  try {
    hive = await startTestHive({ env: ldapEnv });
  } catch (error) {
    await slapd.dispose();
    throw error;
  }
  return {
    slapd,
    hive,
    ldapEnv,
    dn: (repoUser) => `uid=${repoUser},${slapd.baseDn}`,
    posixUids: async () => {
      const ldif = await ldapTool('ldapsearch', slapd, [
        '-LLL',
        '-b',
        slapd.baseDn,
        '-s',
        'one',
        '(objectClass=posixAccount)',
        'uid',
      ]);
      return [...ldif.matchAll(/^uid: (.*)$/gm)].map((m) => m[1] ?? '').sort();
    },
    dispose: async () => {
      await hive.dispose();
      await slapd.dispose();
    },
  };
}

export const REPO_FIELDS = 'id name repoUser uid gid path';

export interface RepoRow {
  id: string;
  name: string;
  repoUser: string;
  uid: number;
  gid: number;
  path: string;
}

/** createRepository as the admin; throws with the GraphQL errors when it fails. */
export async function createRepo(hive: TestHive, name: string): Promise<RepoRow> {
  const r = await hive.gql<{ createRepository: RepoRow }>(
    hive.adminToken,
    `mutation($i: CreateRepositoryInput!) { createRepository(input: $i) { ${REPO_FIELDS} } }`,
    { i: { name } },
  );
  if (!r.data?.createRepository) throw new Error(`createRepository ${name}: ${JSON.stringify(r.errors)}`);
  return r.data.createRepository;
}
