import { readFile } from 'node:fs/promises';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

/** Reads the account file itself (not NSS), so accounts from a directory never show up here. */
export async function readPasswd(path: string): Promise<PasswdEntry[]> {
  const text = await readFile(path, 'utf8');
  const entries: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length !== 7 || line.startsWith('+') || line.startsWith('-')) continue;
    const [name = '', , uid = '', gid = '', gecos = '', home = '', shell = ''] = fields;
    entries.push({ name, uid: Number(uid), gid: Number(gid), gecos, home, shell });
  }
  return entries;
}
