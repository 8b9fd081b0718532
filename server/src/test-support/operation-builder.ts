import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';

/** Values for generated arguments: every ID argument gets `id`; strings get `text`. */
export interface ArgValues {
  id: string;
  text: string;
}

function typeString(t: GraphQLInputType): string {
  return t.toString();
}

export function valueFor(type: GraphQLInputType, v: ArgValues, depth = 0): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, v, depth);
  if (isListType(type)) return [valueFor(type.ofType, v, depth)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    if (depth > 3) return out;
    for (const f of Object.values(type.getFields())) out[f.name] = valueFor(f.type, v, depth + 1);
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return v.id;
      case 'String':
        return v.text;
      case 'Int':
        return 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return true;
      case 'DateTimeISO':
        return '2099-01-01T00:00:00.000Z';
      case 'JSONObject':
        return {};
    }
  }
  throw new Error(`no generated value for ${type.toString()}`);
}

/** Scalars of the type, and one level of nested objects (their scalars), for a probing selection. */
export function selectionFor(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return '';
  const parts: string[] = [];
  for (const f of Object.values(named.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type))) continue;
    const inner = getNamedType(f.type);
    if (isObjectType(inner)) {
      if (depth < 1) parts.push(`${f.name} ${selectionFor(f.type, depth + 1)}`);
    } else parts.push(f.name);
  }
  return `{ ${parts.join(' ')} }`;
}

/** An operation calling one root field with every argument generated. */
export function operationFor(
  kind: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
  v: ArgValues,
): { query: string; variables: Record<string, unknown> } {
  const args = field.args as readonly GraphQLArgument[];
  const defs = args.map((a) => `$${a.name}: ${typeString(a.type)}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const variables = Object.fromEntries(args.map((a) => [a.name, valueFor(a.type, v)]));
  const sel = selectionFor(field.type);
  return {
    query: `${kind} Probe${defs ? `(${defs})` : ''} { ${field.name}${call ? `(${call})` : ''} ${sel} }`,
    variables,
  };
}
