import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ASTVisitor,
} from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';

export const MAX_DEPTH = 10;
export const MAX_COMPLEXITY = 3000;

function depthOf(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) max = Math.max(max, sel.name.value.startsWith('__') ? 0 : 1 + depthOf(sel.selectionSet, fragments, seen));
    else if (sel.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depthOf(sel.selectionSet, fragments, seen));
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
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return {
    OperationDefinition(node) {
      const depth = depthOf(node.selectionSet, fragments, new Set());
      if (depth > MAX_DEPTH) {
        context.reportError(new GraphQLError(`the operation is nested ${depth} levels deep; at most ${MAX_DEPTH}`, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }));
      }
    },
  };
}

/** Throws when the estimated cost (one per field, list arguments counted) exceeds MAX_COMPLEXITY. */
export function assertComplexity(schema: GraphQLSchema, query: DocumentNode, variables: Record<string, unknown>, operationName?: string | null): void {
  const cost = getComplexity({
    schema,
    query,
    variables,
    operationName: operationName ?? undefined,
    estimators: [simpleEstimator({ defaultComplexity: 1 })],
  });
  if (cost > MAX_COMPLEXITY) {
    throw new GraphQLError(`the operation costs ${cost}; at most ${MAX_COMPLEXITY}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
}
