import {
  type DocumentNode,
  getOperationAST,
  getVariableValues,
  type GraphQLSchema,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ASTVisitor,
} from 'graphql';
import { DEFAULT_MAX_QUERY_COST } from '../config/config.js';
import { selectionCost } from './cost.js';

export const MAX_DEPTH = 10;
/** The default of BORGHIVE_MAX_QUERY_COST. */
export const MAX_COMPLEXITY = DEFAULT_MAX_QUERY_COST;

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

/** The operation a request runs; an unknown or missing operationName is the caller's mistake (400). */
export function selectOperation(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode {
  const op = getOperationAST(document, operationName ?? undefined);
  if (op) return op;
  const message = operationName
    ? `the document has no operation named "${String(operationName).slice(0, 100)}"`
    : 'the document has several operations: send operationName to choose one';
  throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/** Variables as execution will see them: coerced to their types, defaults applied. */
export function coerceVariables(
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const result = getVariableValues(schema, op.variableDefinitions ?? [], raw, { maxErrors: 1 });
  if (result.errors) {
    throw new GraphQLError(result.errors[0]?.message ?? 'invalid variables', {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  }
  return result.coerced;
}

/**
 * The estimated cost of an operation (see cost.ts) with its variables coerced; root lists count one
 * item, the rest of their length is charged as they resolve.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string | null,
): number {
  const op = selectOperation(document, operationName);
  const root = schema.getRootType(op.operation);
  if (!root) return 0;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const input = { schema, fragments, variables: coerceVariables(schema, op, variables) };
  return selectionCost(root, op.selectionSet, input, new Set(), true);
}

export function costError(cost: number, max: number): GraphQLError {
  return new GraphQLError(
    `the operation costs ${cost}; at most ${max} (select fewer fields, or pass a smaller limit)`,
    { extensions: { code: 'BAD_USER_INPUT', cost, maxCost: max, http: { status: 400 } } },
  );
}

/** Throws when the estimated cost exceeds `max`; returns the cost. */
export function assertComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string | null,
  max = MAX_COMPLEXITY,
): number {
  const cost = operationCost(schema, document, variables, operationName);
  if (cost > max) throw costError(cost, max);
  return cost;
}
