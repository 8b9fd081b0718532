import { execFile } from 'node:child_process';

export interface LdapToolTarget {
  url: string;
  bindDn: string;
  bindPassword: string;
}

/** Runs Debian's ldapadd/ldapmodify/ldapdelete/ldapsearch with LDIF on stdin, as an operator would. */
export function ldapTool(
  tool: 'ldapadd' | 'ldapmodify' | 'ldapdelete' | 'ldapsearch',
  target: LdapToolTarget,
  args: string[],
  stdin = '',
): Promise<string> {
  const base = ['-x', '-H', target.url, '-D', target.bindDn, '-w', target.bindPassword];
  return new Promise((resolve, reject) => {
    const child = execFile(tool, [...base, ...args], { timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${tool} failed: ${stderr.trim() || error.message}`, { cause: error }));
      else resolve(stdout);
    });
    child.stdin?.on('error', () => undefined).end(stdin); // a tool that reads no input may exit first
  });
}

/** One entry as ldapsearch prints it (attribute → values), or undefined when it does not exist. */
export async function readEntry(
  target: LdapToolTarget,
  dn: string,
  attributes: string[] = ['*', '+'],
): Promise<Record<string, string[]> | undefined> {
  let ldif: string;
  try {
    ldif = await ldapTool('ldapsearch', target, [
      '-LLL',
      '-o',
      'ldif-wrap=no',
      '-s',
      'base',
      '-b',
      dn,
      ...attributes,
    ]);
  } catch (error) {
    if (String(error).includes('No such object')) return undefined;
    throw error;
  }
  const entry: Record<string, string[]> = {};
  for (const line of ldif.split('\n')) {
    const match = /^([A-Za-z0-9-]+)(::?) (.*)$/.exec(line);
    if (!match) continue;
    const [, name = '', separator, raw = ''] = match;
    const value = separator === '::' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    (entry[name] ??= []).push(value);
  }
  return entry;
}

/** LDIF of a posix account that Borg Hive does not own (for "never touched" checks). */
export function foreignAccountLdif(
  dn: string,
  uid: string,
  uidNumber: number,
  gecos = 'Somebody Else',
): string {
  return [
    `dn: ${dn}`,
    'objectClass: organizationalPerson',
    'objectClass: posixAccount',
    `uid: ${uid}`,
    `cn: ${uid}`,
    `sn: ${uid}`,
    `uidNumber: ${uidNumber}`,
    'gidNumber: 1000',
    `gecos: ${gecos}`,
    `homeDirectory: /home/${uid}`,
    '',
  ].join('\n');
}
