import type { Server } from 'node:http';
import { type GraphQLError, type GraphQLSchema, parse, validate, specifiedRules } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { buildContext } from '../graphql/context.js';
import { assertComplexity, depthLimitRule } from '../graphql/limits.js';
import { assertScope } from '../graphql/scope.js';
import type { AuthInfo } from '../modules/auth/auth-info.js';
import { TokenScope } from '../modules/auth/token-scope.js';
import type { Services } from '../services.js';
import { authFromBearer } from './bearer.js';

interface Extra {
  auth?: AuthInfo | null;
  address?: string;
}

/** graphql-ws (graphql-transport-ws) on the same port and path as HTTP. */
export function attachWebSocket(httpServer: Server, schema: GraphQLSchema, services: Services) {
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const disposable = useServer(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = params.authorization ?? params.Authorization;
        const auth = await authFromBearer(services, header);
        if (!auth) return false;
        if (auth.scope === TokenScope.KEYS_READ || auth.scope === TokenScope.AGENT) return false;
        const extra = ctx.extra as Extra & { request: { socket: { remoteAddress?: string } } };
        extra.auth = auth;
        extra.address = extra.request.socket.remoteAddress ?? 'unknown';
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        let doc;
        try {
          doc = parse(payload.query);
        } catch (err) {
          return [err as GraphQLError];
        }
        const errors = validate(schema, doc, [...specifiedRules, depthLimitRule]);
        if (errors.length) return [...errors];
        try {
          assertScope((ctx.extra as Extra).auth ?? null, doc, payload.operationName);
          assertComplexity(
            schema,
            doc,
            payload.variables ?? {},
            payload.operationName,
            services.config.limits.maxQueryCost,
          );
        } catch (err) {
          return [err as GraphQLError];
        }
        return undefined;
      },
      context: (ctx) => {
        const extra = ctx.extra as Extra;
        return buildContext(services, extra.auth ?? null, extra.address ?? 'unknown');
      },
    },
    wss,
  );
  return {
    wss,
    dispose: async () => {
      await disposable.dispose();
      wss.close();
    },
  };
}
