import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from './context.js';
import { endingIterator } from './ending-iterator.js';

type Results = Map<string, Promise<ExecutionResult>>;

/** Per live message (shared by every subscriber), the result per kind of subscriber; gone with the message. */
const executed = new WeakMap<object, Results>();
/** Per result, its JSON as a graphql-ws `next` payload: serialised once however many sockets it goes to. */
const serialised = new WeakMap<ExecutionResult, string>();

/** `result` as graphql-ws sends it (errors in their JSON form), serialised once per result object. */
export function payloadJson(result: ExecutionResult): string {
  let json = serialised.get(result);
  if (json === undefined) {
    const { errors, ...rest } = result;
    json = JSON.stringify(errors ? { ...rest, errors: errors.map((e) => e.toJSON()) } : rest);
    serialised.set(result, json);
  }
  return json;
}

/** Who sees the same answer: admins alike per scope (they see everything), anyone else only themself. */
function audienceKey(ctx: Context | undefined): string {
  const auth = ctx?.auth;
  if (!auth) return 'anonymous';
  if (auth.isAdmin) return `admin:${auth.scope}`;
  return `user:${auth.userId}:${auth.scope}:${auth.groupIds.join(',')}`;
}

/**
 * graphql-ws's `subscribe`, executing each live message once per distinct operation, variables and kind
 * of subscriber: 5,000 consoles of one admin with the same subscription cost one execution (and, through
 * payloadJson, one serialisation) per message, then one send each. A message that is not shared (a plain id) is executed per subscriber as usual.
 */
export async function subscribeShared(
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const iterator = source[Symbol.asyncIterator]();
  const key = [
    print(args.document),
    args.operationName ?? '',
    JSON.stringify(args.variableValues ?? {}),
    audienceKey(args.contextValue as Context | undefined),
  ].join('\u0000');
  const run = (payload: unknown): Promise<ExecutionResult> => {
    const once = () => Promise.resolve(execute({ ...args, rootValue: payload }));
    if (typeof payload !== 'object' || payload === null) return once();
    let results = executed.get(payload);
    if (!results) executed.set(payload, (results = new Map<string, Promise<ExecutionResult>>()));
    let result = results.get(key);
    if (!result) results.set(key, (result = once()));
    return result;
  };
  return endingIterator(iterator, async () => {
    const r = await iterator.next();
    return r.done ? { value: undefined, done: true } : { value: await run(r.value), done: false };
  });
}
