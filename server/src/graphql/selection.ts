import {
  getArgumentValues,
  getNamedType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

function collect(info: GraphQLResolveInfo, set: SelectionSetNode, name: string, into: FieldNode[]): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) into.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(info, selection.selectionSet, name, into);
    } else {
      const fragment = info.fragments[selection.name.value];
      if (fragment) collect(info, fragment.selectionSet, name, into);
    }
  }
}

/**
 * The arguments of every selection of `name` directly under the field being resolved (aliases and
 * fragments included): lets a list resolver load what its items' fields will ask for, ahead of them.
 */
export function argumentsOfSubfield(info: GraphQLResolveInfo, name: string): Record<string, unknown>[] {
  const type = getNamedType(info.returnType);
  const def = isObjectType(type) ? type.getFields()[name] : undefined;
  if (!def) return [];
  const nodes: FieldNode[] = [];
  for (const node of info.fieldNodes) if (node.selectionSet) collect(info, node.selectionSet, name, nodes);
  return nodes.map((node) => getArgumentValues(def, node, info.variableValues));
}
