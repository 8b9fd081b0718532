import { existsSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { GraphQLSchema } from 'graphql';
import { buildContext, type Context } from '../graphql/context.js';
import { formatError } from '../graphql/format-error.js';
import { assertNoNulCharacters } from '../graphql/input-text.js';
import { assertComplexity, depthLimitRule, selectOperation } from '../graphql/limits.js';
import { chargeRootLists } from '../graphql/root-list-cost.js';
import { ResponseCache, responseCachePlugin } from '../graphql/response-cache.js';
import { assertScope } from '../graphql/scope.js';
import { assertSecondFactor } from '../graphql/second-factor-gate.js';
import { auditPlugin } from '../modules/audit/index.js';
import type { Services } from '../services.js';
import { authFromBearer } from './bearer.js';
import { clientAddressOf } from './client-address.js';
import { setConsoleHeaders } from './console-headers.js';
import { graphqlCors } from './cors.js';
import { errorHandler, notFound } from './error-handler.js';
import { cappedStringify, withStatus } from './graphql-answers.js';
import { attachWebSocket } from './websocket.js';

export interface RunningHttp {
  server: Server;
  url: string;
  /** Open WebSocket connections right now. */
  sockets(): number;
  close(): Promise<void>;
}

export interface HttpExtras {
  /** Extra routes mounted before the web console (e.g. the ping endpoint). */
  routers?: { path: string; router: Router }[];
  /** Middleware run before every route (e.g. the request-duration timer of the metrics). */
  before?: RequestHandler[];
}

function serveConsole(app: Express, webRoot: string | null, otherHives: readonly string[]): void {
  const headers = (res: ServerResponse): void => setConsoleHeaders(res, otherHives);
  if (!webRoot || !existsSync(join(webRoot, 'index.html'))) {
    app.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send('Borg Hive API: POST /graphql. The web console is not built (npm run build).');
    });
    return;
  }
  app.use(express.static(webRoot, { index: 'index.html', maxAge: '1h', setHeaders: headers }));
  app.get('/graphiql', (_req, res) => {
    headers(res);
    res.sendFile(join(webRoot, 'graphiql.html'));
  });
}

/** HTTP API, WebSocket subscriptions and the web console on one port. */
export async function startHttp(
  services: Services,
  schema: GraphQLSchema,
  extras: HttpExtras = {},
): Promise<RunningHttp> {
  const { config, logger } = services;
  const app = express();
  app.disable('x-powered-by');
  // no ETag on res.send: GraphQL answers are POSTed (never revalidated), and hashing a large list costs
  // milliseconds per request; the console's static files keep theirs (express.static sets its own)
  app.set('etag', false);
  for (const handler of extras.before ?? []) app.use(handler);
  const { http: httpLimits, maxQueryCost, maxResponseBytes } = config.requestLimits;
  const server = createServer(
    {
      headersTimeout: httpLimits.headersTimeoutMs,
      requestTimeout: httpLimits.requestTimeoutMs,
      keepAliveTimeout: httpLimits.keepAliveTimeoutMs,
      // how often the two timeouts above are checked (Node's default, 30 s, lets a slow client stay)
      connectionsCheckingInterval: Math.min(1000, httpLimits.headersTimeoutMs),
      maxHeaderSize: 16 * 1024,
    },
    app,
  );
  server.maxHeadersCount = 100;
  server.maxConnections = httpLimits.maxConnections;
  chargeRootLists(schema);
  const addressOf = clientAddressOf(config.http.trustedProxies);
  const ws = attachWebSocket(server, schema, services);
  const apollo = new ApolloServer<Context>({
    schema,
    formatError: formatError(logger),
    validationRules: [depthLimitRule],
    includeStacktraceInErrorResponses: false,
    // compact JSON (Apollo pretty-prints by default, a third more bytes on large lists), or the text of
    // an answer the response cache holds
    stringifyResult: cappedStringify(maxResponseBytes),
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginLandingPageDisabled(),
      // no HTTP caching of an authenticated API; also spares a willResolveField hook on every field
      ApolloServerPluginCacheControlDisabled(),
      { serverWillStart: async () => ({ drainServer: () => ws.dispose() }) },
      auditPlugin(schema, services.audit),
      ...(config.responseCacheBytes > 0
        ? [responseCachePlugin(new ResponseCache(config.responseCacheBytes), services.clock)]
        : []),
      {
        requestDidStart: async () => ({
          didResolveOperation: async ({ request, document, contextValue }) => {
            try {
              selectOperation(document, request.operationName);
              assertScope(contextValue.auth, document, request.operationName);
              assertSecondFactor(
                contextValue.auth,
                config.requireSecondFactor,
                document,
                request.operationName,
              );
              const variables = request.variables ?? {};
              assertNoNulCharacters(document, variables);
              contextValue.cost.holdSlots();
              contextValue.cost.charge(
                assertComplexity(schema, document, variables, request.operationName, maxQueryCost),
              );
            } catch (err) {
              throw withStatus(err);
            }
          },
          willSendResponse: async ({ contextValue }) => {
            contextValue.cost.finish();
          },
        }),
      },
    ],
  });
  await apollo.start();
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/graphql', (req, res, next) => {
    if (req.accepts('html') && !req.query.query) res.redirect('/graphiql');
    else next();
  });
  app.use(
    '/graphql',
    graphqlCors,
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        buildContext(
          services,
          await authFromBearer(services, req.headers.authorization),
          addressOf(req),
          req.headers['user-agent'] ?? null,
        ),
    }),
  );
  for (const r of extras.routers ?? []) app.use(r.path, r.router);
  serveConsole(app, config.webRoot, config.http.consoleHives);
  app.use(notFound);
  app.use(errorHandler(logger));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.http.port;
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const url = `http://${host}:${port}`;
  logger.info({ url }, 'borg hive listening');
  return {
    server,
    url,
    sockets: () => ws.wss.clients.size,
    close: async () => {
      await apollo.stop();
    },
  };
}
