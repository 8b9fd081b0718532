import { type DocumentNode, GraphQLError, Kind, visit, BREAK } from 'graphql';

function refuse(where: string): GraphQLError {
  return new GraphQLError(`${where}: text must not contain NUL (\\u0000) characters`, {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes('\0')) return path;
      const found = findNul(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * No argument of any operation may carry a NUL character: neither databases nor system tools take it
 * (SQLite cuts text there, MariaDB and the accounts backends fail). Checked once at the edge for every
 * string literal in the document and every string in the variables, JSON objects included.
 */
export function assertNoNulCharacters(document: DocumentNode, variables: Record<string, unknown>): void {
  let literal = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (!node.value.includes('\0')) return undefined;
      literal = true;
      return BREAK;
    },
  });
  if (literal) throw refuse('a string argument');
  for (const [name, value] of Object.entries(variables)) {
    const path = findNul(value, `$${name}`);
    if (path) throw refuse(path);
  }
}
