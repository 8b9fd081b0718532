import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
} from 'graphql';

/**
 * The cost model: an estimate of the values an answer holds, one unit for a short value (an id, a
 * date, a name: about 16 bytes of JSON), more for fields that hold long text. A list counts its items:
 * a `limit` argument as the resolver clamps it, a list without one by a conservative bound per field.
 * Nested lists multiply. Root lists (Query.repositories, ...) count one item here; their real length
 * is charged when they resolve (see root-list-cost.ts), since it is the caller's visible count.
 */

/** Fields heavier than one unit: their longest plausible value in units of ~16 bytes. */
export const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  'RepositoryEvent.log': 6400, // up to 100 kB of ping body
  'RepositoryEvent.message': 16,
  'SshKey.publicKey': 64, // the whole key line; RSA 8192 is ~1.4 kB
  'NotificationChannel.settings': 16,
  'NotificationDelivery.lastError': 64, // a provider's error text
  'NotificationDelivery.title': 8,
  'Repository.borgInitCommand': 8,
  'Query.authorizedKeys': 64, // each item is a full authorized_keys line
};

/** Lists with a limit argument: the resolver's default and its clamp (repository-prefetch, delivery resolver). */
export const LIMITED_LISTS: Readonly<Record<string, { default: number; max: number }>> = {
  'Repository.events': { default: 20, max: 500 },
  'Repository.statistics': { default: 20, max: 500 },
  'Query.notificationDeliveries': { default: 50, max: 500 },
};

/**
 * Pages (not lists themselves): their selection counts once per item of the page, as many as `first`
 * asks (the resolver refuses more than max); the page's own edges list then counts one item.
 */
export const PAGED_FIELDS: Readonly<Record<string, { arg: string; default: number; max: number }>> = {
  'Query.repositoryPage': { arg: 'first', default: 50, max: 500 },
};

/** Lists without a limit argument: the most items one parent plausibly has. */
export const LIST_BOUNDS: Readonly<Record<string, number>> = {
  'RepositoryPage.edges': 1, // counted by PAGED_FIELDS
  'Repository.sshKeys': 20,
  'Repository.appendOnlySshKeys': 20,
  'Repository.readOnlySshKeys': 20,
  'Repository.writeOnlySshKeys': 20,
  'Repository.groups': 20,
  'SshKey.groups': 20,
  'User.groups': 20,
  'NotificationChannel.groups': 20,
  'NotificationChannel.repositories': 1000,
};

/** Any other nested list. */
export const DEFAULT_LIST_BOUND = 100;

export interface CostInput {
  schema: GraphQLSchema;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** Coerced variable values (defaults applied), as graphql-js getVariableValues gives them. */
  variables: Record<string, unknown>;
}

function limitedBound(
  key: string,
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  input: CostInput,
): number {
  const limited = LIMITED_LISTS[key] ?? PAGED_FIELDS[key];
  if (!limited) return LIST_BOUNDS[key] ?? DEFAULT_LIST_BOUND;
  let raw: unknown;
  try {
    const arg = PAGED_FIELDS[key]?.arg ?? 'limit';
    raw = getArgumentValues(field, node, input.variables)[arg];
  } catch {
    return limited.max; // an invalid argument fails execution anyway; cost it at the clamp
  }
  const n = typeof raw === 'number' && Number.isFinite(raw) ? raw : limited.default;
  return Math.min(Math.max(Math.trunc(n), 1), limited.max);
}

/**
 * One item of the field `node` selects on `parent` (its selection's cost, or its weight for a scalar),
 * how many items it has (1 unless a list) and its cost: a list or an object adds 1 for itself.
 */
export function fieldCost(
  parent: GraphQLCompositeType,
  node: FieldNode,
  input: CostInput,
  seen: ReadonlySet<string> = new Set(),
): { item: number; count: number; list: boolean; composite: boolean } {
  const name = node.name.value;
  const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  if (name.startsWith('__') || !field) {
    // introspection and __typename: as large as the schema at most
    return {
      item: 1 + selectionCost(parent, node.selectionSet, input, seen),
      count: 1,
      list: false,
      composite: false,
    };
  }
  const key = `${parent.name}.${name}`;
  const named = getNamedType(field.type);
  const composite = isCompositeType(named);
  const item = composite ? selectionCost(named, node.selectionSet, input, seen) : (FIELD_WEIGHTS[key] ?? 1);
  const list = isListType(getNullableType(field.type));
  const counted = list || PAGED_FIELDS[key] !== undefined;
  return { item, count: counted ? limitedBound(key, field, node, input) : 1, list, composite };
}

/**
 * Estimated cost of a selection set on `parent`; fragments are followed once per path. With
 * `rootListsOnce` the lists of this level count one item (the root lists, charged again as they resolve).
 */
export function selectionCost(
  parent: GraphQLCompositeType,
  set: SelectionSetNode | undefined,
  input: CostInput,
  seen: ReadonlySet<string> = new Set(),
  rootListsOnce = false,
): number {
  if (!set) return 0;
  let cost = 0;
  for (const sel of set.selections) {
    if (sel.kind === 'Field') {
      const { item, count, list, composite } = fieldCost(parent, sel, input, seen);
      cost += (list || composite ? 1 : 0) + (rootListsOnce && list ? 1 : count) * item;
    } else if (sel.kind === 'InlineFragment') {
      const on = sel.typeCondition ? input.schema.getType(sel.typeCondition.name.value) : parent;
      cost += selectionCost(isCompositeType(on) ? on : parent, sel.selectionSet, input, seen, rootListsOnce);
    } else if (!seen.has(sel.name.value)) {
      const f = input.fragments[sel.name.value];
      if (!f) continue;
      const on = input.schema.getType(f.typeCondition.name.value);
      cost += selectionCost(
        isCompositeType(on) ? on : parent,
        f.selectionSet,
        input,
        new Set([...seen, sel.name.value]),
        rootListsOnce,
      );
    }
  }
  return cost;
}
