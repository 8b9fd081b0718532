import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { errorMessage } from './ErrorText.js';

/** What a failed save says, split: per form field (shown at the field) and the rest (shown under the form). */
export interface FormProblems {
  /** field name → the server's message for it */
  readonly fields: ReadonlyMap<string, string>;
  /** what no field of the form shows; null when there is nothing else to say */
  readonly rest: string | null;
}

const none: FormProblems = { fields: new Map(), rest: null };

interface FieldProblem {
  field: string;
  message: string;
}

function isFieldProblem(value: unknown): value is FieldProblem {
  if (typeof value !== 'object' || value === null) return false;
  const { field, message } = value as Record<string, unknown>;
  return typeof field === 'string' && typeof message === 'string';
}

/**
 * Splits a mutation's error: a BAD_USER_INPUT's `extensions.problems` naming one of `fields` go to that
 * field; anything else (other problems, other errors, a network failure) is the rest.
 */
export function formProblems(error: unknown, fields: readonly string[]): FormProblems {
  if (!error) return none;
  if (!CombinedGraphQLErrors.is(error)) return { fields: new Map(), rest: errorMessage(error) };
  const byField = new Map<string, string>();
  const rest: string[] = [];
  for (const e of error.errors) {
    const problems = e.extensions?.['problems'];
    const listed = Array.isArray(problems) ? problems.filter(isFieldProblem) : [];
    if (listed.length === 0) {
      rest.push(e.message);
      continue;
    }
    for (const p of listed) {
      if (fields.includes(p.field)) {
        const earlier = byField.get(p.field);
        byField.set(p.field, earlier ? `${earlier}; ${p.message}` : p.message);
      } else rest.push(`${p.field}: ${p.message}`);
    }
  }
  return { fields: byField, rest: rest.length ? rest.join('; ') : null };
}
