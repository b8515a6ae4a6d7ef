# syntax=docker/dockerfile:1
# One image for both tiers (README, "Deploying"):
#   docker build -t quoting-platform .
#   docker run -p 3000:3000 -e DATABASE_URL=… -e BETTER_AUTH_SECRET=… -e KAFKA_BROKERS=… quoting-platform
#       the web tier (npm run start:web: the app's own server on the standalone build), HEALTHCHECK on /api/health
#   docker run --no-healthcheck -e DATABASE_URL=… -e APPLICATION_NUMBER_SERVICE_URL=… -e KAFKA_BROKERS=… quoting-platform \
#       node --conditions=react-server --import tsx scripts/start-worker.ts [--only=relay|projector|scheduled]
#       the worker (npm run start:worker)
#   docker build --target migrate -t quoting-platform-migrate . && docker run --rm -e DATABASE_URL=… quoting-platform-migrate
#       applies pending migrations (npm run db:migrate), before a new version's web tier starts
ARG NODE_IMAGE=node:20-bookworm-slim

# Every dependency, without install scripts: the embedded PostgreSQL is never used in a deployment, and the Prisma
# client is generated below, from the sources.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run db:generate && npm run build \
 # Next leaves the static assets and public/ out of the standalone output; its docs ask for them beside it.
 && cp -r .next/static .next/standalone/.next/static \
 && cp -r public .next/standalone/public

FROM build AS migrate
USER node
# Without DATABASE_URL, db:migrate would start an embedded PostgreSQL, which a deployment never wants.
CMD ["sh", "-c", "test -n \"$DATABASE_URL\" || { echo 'DATABASE_URL is not set: the PostgreSQL server to migrate' >&2; exit 1; }; exec node --conditions=react-server --import tsx scripts/db/migrate.ts"]

FROM deps AS production-deps
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS app
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 APP_HOST=0.0.0.0 APP_PORT=3000
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/tsconfig.json ./
# The worker and the entry points run from the sources (tsx); the web tier's pages from the standalone build.
COPY --from=build /app/lib ./lib
COPY --from=build /app/schemas ./schemas
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/.next/BUILD_ID ./.next/BUILD_ID
COPY --from=build /app/.next/standalone ./.next/standalone
# Next writes its caches under the build folder it serves; nothing else is writable by the app's user.
RUN mkdir -p .next/standalone/.next/cache && chown node:node .next/standalone/.next/cache
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.APP_PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "scripts/start-web.ts"]
