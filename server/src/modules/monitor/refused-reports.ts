/** The hive refused these reports of a batch for good (BAD_USER_INPUT naming `events.<i>.<field>`). */
export class RefusedReports extends Error {
  constructor(
    message: string,
    readonly positions: ReadonlySet<number>,
  ) {
    super(message);
  }
}

export type GraphQLErrorBody = {
  message: string;
  extensions?: { code?: string; problems?: { field: string; message: string }[] };
};

/** Positions of the reports a BAD_USER_INPUT answer names; empty for any other answer. */
export function refusedPositions(errors: GraphQLErrorBody[]): Set<number> {
  const positions = new Set<number>();
  for (const e of errors) {
    if (e.extensions?.code !== 'BAD_USER_INPUT') continue;
    for (const p of e.extensions.problems ?? []) {
      const i = /^events\.(\d+)\./.exec(p.field)?.[1];
      if (i !== undefined) positions.add(Number(i));
    }
  }
  return positions;
}
