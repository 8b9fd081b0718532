import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from './context.js';

type Results = Map<string, Promise<ExecutionResult>>;

/** Per live message (shared by every subscriber), the result per kind of subscriber; gone with the message. */
const executed = new WeakMap<object, Results>();

/** Who sees the same answer: admins alike per scope (they see everything), anyone else only themself. */
function audienceKey(ctx: Context | undefined): string {
  const auth = ctx?.auth;
  if (!auth) return 'anonymous';
  if (auth.isAdmin) return `admin:${auth.scope}`;
  return `user:${auth.userId}:${auth.scope}:${auth.groupIds.join(',')}`;
}

/**
 * graphql-ws's `subscribe`, executing each live message once per distinct operation, variables and kind
 * of subscriber: 5,000 consoles of one admin with the same subscription cost one execution per message,
 * then one send each. A message that is not shared (a plain id) is executed per subscriber as usual.
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
  // an iterator of our own (not an async generator): return() must end the source at once, not after
  // the next message
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      const r = await iterator.next();
      return r.done ? { value: undefined, done: true } : { value: await run(r.value), done: false };
    },
    return: async () => {
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    throw: async (err: unknown) => {
      await iterator.return?.();
      throw err;
    },
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}
