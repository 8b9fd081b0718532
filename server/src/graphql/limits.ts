import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ASTVisitor,
} from 'graphql';

export const MAX_DEPTH = 10;
export const MAX_COMPLEXITY = 3000;

function depthOf(
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD)
      max = Math.max(
        max,
        sel.name.value.startsWith('__') ? 0 : 1 + depthOf(sel.selectionSet, fragments, seen),
      );
    else if (sel.kind === Kind.INLINE_FRAGMENT)
      max = Math.max(max, depthOf(sel.selectionSet, fragments, seen));
    else if (!seen.has(sel.name.value)) {
      const f = fragments.get(sel.name.value);
      max = Math.max(max, depthOf(f?.selectionSet, fragments, new Set([...seen, sel.name.value])));
    }
  }
  return max;
}

/** Validation rule: refuses operations nested deeper than MAX_DEPTH. */
export function depthLimitRule(context: ValidationContext): ASTVisitor {
  const doc = context.getDocument();
  const fragments = new Map(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return {
    OperationDefinition(node) {
      const depth = depthOf(node.selectionSet, fragments, new Set());
      if (depth > MAX_DEPTH) {
        context.reportError(
          new GraphQLError(`the operation is nested ${depth} levels deep; at most ${MAX_DEPTH}`, {
            nodes: [node],
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        );
      }
    },
  };
}

function costOf(
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let cost = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const limitArg = sel.arguments?.find((a) => a.name.value === 'limit');
      let factor = 1;
      if (limitArg?.value.kind === Kind.INT) factor = Number(limitArg.value.value);
      else if (limitArg?.value.kind === Kind.VARIABLE)
        factor = Number(variables[limitArg.value.name.value] ?? 20);
      if (!Number.isFinite(factor) || factor < 1) factor = 1;
      cost += 1 + Math.min(factor, 500) * costOf(sel.selectionSet, fragments, variables, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      cost += costOf(sel.selectionSet, fragments, variables, seen);
    } else if (!seen.has(sel.name.value)) {
      const f = fragments.get(sel.name.value);
      cost += costOf(f?.selectionSet, fragments, variables, new Set([...seen, sel.name.value]));
    }
  }
  return cost;
}

/**
 * Throws when the estimated cost exceeds MAX_COMPLEXITY: one per field, and a field's selection
 * counts `limit` times when it takes a limit argument (events, statistics).
 */
export function assertComplexity(
  query: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string | null,
): void {
  const fragments = new Map(
    query.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const ops = query.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const op = ops.find((o) => (operationName ? o.name?.value === operationName : true));
  if (!op) return;
  const cost = costOf(op.selectionSet, fragments, variables, new Set());
  if (cost > MAX_COMPLEXITY) {
    throw new GraphQLError(`the operation costs ${cost}; at most ${MAX_COMPLEXITY}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
}
