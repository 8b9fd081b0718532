import type { IncomingMessage, Server } from 'node:http';
import { type GraphQLError, type GraphQLSchema, parse, validate, specifiedRules } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { buildContext } from '../graphql/context.js';
import { assertComplexity, depthLimitRule } from '../graphql/limits.js';
import { assertScope } from '../graphql/scope.js';
import { subscribeShared } from '../graphql/shared-execution.js';
import type { AuthInfo } from '../modules/auth/auth-info.js';
import { TokenScope } from '../modules/auth/token-scope.js';
import type { Services } from '../services.js';
import { authFromBearer } from './bearer.js';
import { clientAddressOf } from './client-address.js';
import { SocketLimits } from './socket-limits.js';

interface Extra {
  auth?: AuthInfo | null;
  address?: string;
  socket: WebSocket;
}

/** graphql-ws (graphql-transport-ws) on the same port and path as HTTP. */
export function attachWebSocket(httpServer: Server, schema: GraphQLSchema, services: Services) {
  const addressOf = clientAddressOf(services.config.http.trustedProxies);
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const limits = new SocketLimits(services.config.websocket);
  const disposable = useServer(
    {
      schema,
      subscribe: subscribeShared,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = params.authorization ?? params.Authorization;
        const auth = await authFromBearer(services, header);
        if (!auth) return false;
        if (auth.scope === TokenScope.KEYS_READ || auth.scope === TokenScope.AGENT) return false;
        const extra = ctx.extra as Extra & { request: IncomingMessage };
        extra.auth = auth;
        extra.address = addressOf(extra.request);
        return limits.admit(extra.socket, auth.userId);
      },
      onSubscribe: (ctx, _id, payload) => {
        const overCap = limits.refuseOperation(Object.keys(ctx.subscriptions).length);
        if (overCap) return overCap;
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
            services.config.requestLimits.maxQueryCost,
          );
        } catch (err) {
          return [err as GraphQLError];
        }
        return undefined;
      },
      context: (ctx) => {
        const extra = ctx.extra as Extra;
        const context = buildContext(services, extra.auth ?? null, extra.address ?? 'unknown');
        context.sendBudget = limits.budgetOf(extra.socket);
        return context;
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
