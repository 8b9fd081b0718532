import { registerEnumType } from 'type-graphql';

/** Which borg serves a BORG repository: the two have different layouts, servers and key roles. */
export enum BorgVersion {
  BORG1 = 'BORG1',
  BORG2 = 'BORG2',
}

registerEnumType(BorgVersion, {
  name: 'BorgVersion',
  valuesConfig: {
    BORG1: { description: 'borg 1.x: borg serve (--append-only, --storage-quota)' },
    BORG2: {
      description: 'borg 2: borg2 serve --rest (--permissions all, no-delete, read-only, write-only)',
    },
  },
});

/** The roles a key may have on a repository, as the four key lists name them. */
export type KeyRole = 'full' | 'appendOnly' | 'readOnly' | 'writeOnly';

/** borg 1's serve enforces full and append-only access only; borg 2's --permissions all four. */
export function rolesOf(version: BorgVersion): readonly KeyRole[] {
  return version === BorgVersion.BORG2
    ? ['full', 'appendOnly', 'readOnly', 'writeOnly']
    : ['full', 'appendOnly'];
}
