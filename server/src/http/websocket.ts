import type { IncomingMessage, Server } from 'node:http';
import { type GraphQLError, type GraphQLSchema, parse, validate, specifiedRules } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { buildContext } from '../graphql/context.js';
import { UnauthenticatedError } from '../graphql/errors.js';
import { assertComplexity, depthLimitRule } from '../graphql/limits.js';
import { assertScope } from '../graphql/scope.js';
import { assertSecondFactor } from '../graphql/second-factor-gate.js';
import { subscribeShared } from '../graphql/shared-execution.js';
import type { AuthInfo } from '../modules/auth/auth-info.js';
import { TokenScope } from '../modules/auth/token-scope.js';
import { auditLinesOf, mutationOf } from '../modules/audit/index.js';
import type { Services } from '../services.js';
import { credentialFromBearer } from './bearer.js';
import { clientAddressOf } from './client-address.js';
import { sendingFrames, SocketOutbox } from './live-frames.js';
import { type GuardedSocket, SocketGuard } from './socket-guard.js';
import { SocketLimits } from './socket-limits.js';

interface Extra {
  auth?: AuthInfo | null;
  address?: string;
  socket: WebSocket;
  guarded?: GuardedSocket;
  outbox?: SocketOutbox;
}

/** graphql-ws (graphql-transport-ws) on the same port and path as HTTP. */
export function attachWebSocket(httpServer: Server, schema: GraphQLSchema, services: Services) {
  const addressOf = clientAddressOf(services.config.http.trustedProxies);
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const limits = new SocketLimits(services.config.websocket);
  const guard = new SocketGuard({ ...services, recheckMs: services.config.wsRecheckSeconds * 1000 });
  guard.start();
  const disposable = useServer(
    {
      schema,
      subscribe: subscribeShared,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = params.authorization ?? params.Authorization;
        const credential = await credentialFromBearer(services, header);
        if (!credential?.live) return false;
        const auth = credential.auth;
        if ([TokenScope.KEYS_READ, TokenScope.AGENT, TokenScope.METRICS].includes(auth.scope)) return false;
        const extra = ctx.extra as Extra & { request: IncomingMessage };
        if (extra.socket.readyState !== extra.socket.OPEN) return false;
        extra.guarded = guard.watch(extra.socket, credential);
        extra.auth = auth;
        extra.address = addressOf(extra.request);
        extra.outbox = new SocketOutbox(extra.socket, extra.request.socket);
        return limits.admit(extra.socket, auth.userId);
      },
      onSubscribe: async (ctx, _id, payload) => {
        const extra = ctx.extra as Extra;
        // the cap first (it counts this operation too): no database work for a refused one
        const overCap = limits.refuseOperation(Object.keys(ctx.subscriptions).length);
        if (overCap) return overCap;
        // every operation asks the database again: a credential that died since closes the socket
        extra.auth = extra.guarded ? await guard.current(extra.guarded) : null;
        if (!extra.auth) return [new UnauthenticatedError('credential revoked or expired')];
        let doc;
        try {
          doc = parse(payload.query);
        } catch (err) {
          return [err as GraphQLError];
        }
        const errors = validate(schema, doc, [...specifiedRules, depthLimitRule]);
        if (errors.length) return [...errors];
        try {
          assertScope(extra.auth, doc, payload.operationName);
          assertSecondFactor(extra.auth, services.config.requireSecondFactor, doc, payload.operationName);
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
      // mutations sent over the socket reach the audit trail too (subscriptions' events do not come here)
      onNext: async (ctx, _id, _payload, args, result) => {
        if (!mutationOf(args.document, args.operationName)) return;
        const extra = ctx.extra as Extra;
        await services.audit.record(
          auditLinesOf({
            schema,
            document: args.document,
            operationName: args.operationName,
            variables: args.variableValues ?? {},
            actor: extra.auth ?? null,
            address: extra.address ?? 'unknown',
            data: result.data as Record<string, unknown> | null | undefined,
            errors: result.errors,
          }),
        );
      },
      // a subscription's messages go out as frames around their once-serialised payload
      onOperation: (ctx, id, _payload, _args, result) => {
        const outbox = (ctx.extra as Extra).outbox;
        if (!outbox || !(Symbol.asyncIterator in result)) return undefined;
        return sendingFrames(result[Symbol.asyncIterator](), id, outbox);
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
    guard,
    dispose: async () => {
      await guard.stop();
      await disposable.dispose();
      wss.close();
    },
  };
}
