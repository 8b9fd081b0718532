# syntax=docker/dockerfile:1
# Borg Hive: the hive (GraphQL API, web console, repository watcher, background jobs) in one process.
# Build:  docker build -t borg-hive .          Run: see docker-compose.yml and docs/docker.md.
# The base image is the Node release the project pins in package.json (devDependency "node").

# ---- manifests: the workspace package files both dependency stages install from
FROM node:24.21.0-bookworm-slim AS manifests
WORKDIR /app
# Electron is only a type source for the desktop build; its binary is never needed here.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false
COPY package.json package-lock.json ./
COPY rules/package.json rules/
COPY server/package.json server/
COPY keys/package.json keys/
COPY desktop/package.json desktop/
COPY e2e/package.json e2e/

# ---- build: every workspace's dependencies, then `npm run build` (tsc -b + the web console)
FROM manifests AS build
RUN npm ci
COPY tsconfig.base.json tsconfig.json ./
COPY rules rules
COPY server server
COPY keys keys
COPY desktop desktop
COPY e2e e2e
COPY bench bench
RUN npm run build \
 && find rules/dist server/dist -name '*.test.js' -delete \
 && rm -rf server/dist/test-support

# ---- deps: production dependencies only (no TypeScript, Vite, Electron, the npm `node` binary)
FROM manifests AS deps
RUN npm ci --omit=dev && npm cache clean --force

# ---- runtime
FROM node:24.21.0-bookworm-slim AS runtime
# The hive runs as borghive (uid 999: below the repo users' range 1111-99999, so it never looks like one
# on the shared repository volume) with primary group borg (gid 1000, the repo users' group): the
# directories it creates under /srv/borg/repos (mode 0770) are then writable by the repo users that sshd
# logs in, and what borg writes (umask 007) stays readable by the watcher.
RUN userdel --remove node \
 && groupadd --gid 1000 borg \
 && useradd --system --uid 999 --gid borg --home-dir /var/lib/borg-hive --no-create-home \
      --shell /usr/sbin/nologin borghive \
 && install -d -o borghive -g borg -m 0700 /var/lib/borg-hive \
 && install -d -o root -g borg -m 2775 /srv/borg /srv/borg/repos
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/rules/package.json rules/
COPY --from=build /app/rules/dist rules/dist
COPY --from=build /app/server/package.json server/
COPY --from=build /app/server/dist server/dist
COPY --from=build /app/keys/package.json /app/keys/borg-hive-keys.cjs keys/
COPY --from=build /app/desktop/package.json desktop/
COPY --from=build /app/desktop/dist/renderer desktop/dist/renderer
COPY --from=build /app/e2e/package.json e2e/

ENV NODE_ENV=production \
    BORGHIVE_HOST=0.0.0.0 \
    BORGHIVE_PORT=4000 \
    BORGHIVE_DATA_DIR=/var/lib/borg-hive \
    BORGHIVE_REPO_PATH=/srv/borg/repos \
    BORGHIVE_REPO_GID=1000
USER borghive:borg
EXPOSE 4000
VOLUME ["/var/lib/borg-hive", "/srv/borg/repos"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.BORGHIVE_PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--expose-gc", "server/dist/main.js", "serve"]
