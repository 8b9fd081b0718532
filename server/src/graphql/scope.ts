import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { AuthInfo } from '../modules/auth/auth-info.js';
import { TokenScope } from '../modules/auth/token-scope.js';
import { ForbiddenError } from './errors.js';

/** Root fields an AGENT token (storage-node agent) may use. */
export const AGENT_FIELDS = new Set([
  'me',
  'reportRepositoryEvents',
  'agentRepositories',
  'agentHeartbeat',
  'claimMaintenanceRun',
  'renewMaintenanceRun',
  'reportMaintenanceRun',
]);

function rootFields(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  out: Set<string>,
): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.add(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) rootFields(sel.selectionSet, fragments, out);
    else {
      const f = fragments.get(sel.name.value);
      if (f) rootFields(f.selectionSet, fragments, out);
    }
  }
}

/** The operation to run and the root fields it selects (through fragments), or null when there is none. */
export function operationRootFields(
  document: DocumentNode,
  operationName?: string | null,
): { op: OperationDefinitionNode; fields: Set<string> } | null {
  const ops = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const op = ops.find((o) => (operationName ? o.name?.value === operationName : true));
  if (!op) return null;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const fields = new Set<string>();
  rootFields(op.selectionSet, fragments, fields);
  fields.delete('__typename');
  return { op, fields };
}

/**
 * Token scopes, checked once per operation before it runs (HTTP and WebSocket alike):
 * READ_ONLY cannot mutate, KEYS_READ can only call authorizedKeys, AGENT only the agent operations, METRICS only `me`.
 */
export function assertScope(
  auth: AuthInfo | null,
  document: DocumentNode,
  operationName?: string | null,
): void {
  if (!auth || auth.scope === TokenScope.FULL) return;
  const selected = operationRootFields(document, operationName);
  if (!selected) return;
  const { op, fields } = selected;
  switch (auth.scope) {
    case TokenScope.READ_ONLY:
      if (op.operation === 'mutation' && [...fields].some((f) => f !== 'logout'))
        throw new ForbiddenError('this token is READ_ONLY');
      return;
    case TokenScope.KEYS_READ:
      if ([...fields].some((f) => f !== 'authorizedKeys'))
        throw new ForbiddenError('a KEYS_READ token may only call authorizedKeys');
      return;
    case TokenScope.AGENT:
      if ([...fields].some((f) => !AGENT_FIELDS.has(f)))
        throw new ForbiddenError('an AGENT token may only report repository events');
      return;
    case TokenScope.METRICS:
      if ([...fields].some((f) => f !== 'me'))
        throw new ForbiddenError('a METRICS token may only read GET /metrics');
      return;
  }
}
