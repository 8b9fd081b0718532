import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getNullableType,
  isListType,
} from 'graphql';
import type { Context } from './context.js';
import { fieldCost } from './cost.js';

const charged = new WeakSet<GraphQLSchema>();

/**
 * Root lists (repositories, sshKeys, users, ...) are as long as what the caller may see, which the
 * operation's estimate cannot know: it counts one item, and this charges the other items to the
 * request's CostMeter once the list is read, before any of their fields resolve. Idempotent.
 */
export function chargeRootLists(schema: GraphQLSchema): void {
  if (charged.has(schema)) return;
  charged.add(schema);
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    if (!isListType(getNullableType(field.type))) continue;
    const resolve: GraphQLFieldResolver<unknown, Context> = field.resolve ?? defaultFieldResolver;
    field.resolve = async (source, args, ctx: Context | undefined, info) => {
      const result: unknown = await resolve(source, args, ctx as Context, info);
      if (ctx?.cost && Array.isArray(result) && result.length > 1) {
        const input = { schema: info.schema, fragments: info.fragments, variables: info.variableValues };
        const item = info.fieldNodes
          .map((node) => fieldCost(info.parentType, node, input).item)
          .reduce((a, b) => a + b, 0);
        ctx.cost.charge((result.length - 1) * item);
      }
      return result;
    };
  }
}
