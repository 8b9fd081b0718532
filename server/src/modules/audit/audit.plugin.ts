import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Context } from '../../graphql/context.js';
import { auditLinesOf } from './audit-recorder.js';
import type { AuditService } from './audit.service.js';

/**
 * Every mutation over HTTP is written to the audit trail after it ran (or was refused), whatever its
 * name: a mutation added later is recorded without anyone adding it to a list. The answer waits for
 * the line, so a client that saw its change also finds it in the trail.
 */
export function auditPlugin(schema: GraphQLSchema, audit: AuditService): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async () => ({
      willSendResponse: async ({ document, request, contextValue, response }) => {
        if (!document || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        await audit.record(
          auditLinesOf({
            schema,
            document,
            operationName: request.operationName,
            variables: request.variables ?? {},
            actor: contextValue.auth,
            address: contextValue.address,
            data: result.data,
            errors: result.errors,
            signInSubject: contextValue.signInSubject,
          }),
        );
      },
    }),
  };
}
