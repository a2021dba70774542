# One image for the four services (catalog, api, worker, portal): compiled JavaScript and production
# dependencies only. docker-compose.yml picks the service with the command (api/dist/main.js, ...).

FROM node:24-slim AS build
WORKDIR /src
RUN npm install -g pnpm@12
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json tsconfig.build.json ./
COPY patches ./patches
COPY packages ./packages
COPY services ./services
# The workspace lists test/; its manifest is enough for a frozen install.
COPY test/package.json ./test/package.json
RUN pnpm install --frozen-lockfile
# The packages and services to dist/, and the portal's front end to services/portal/dist/web.
RUN pnpm build
# Each service with its own node_modules: production dependencies only, workspace packages as their
# dist/ (their package.json `files`), patches (postgres.js) applied.
RUN for service in api catalog worker portal; do pnpm --filter "@licensing/$service" deploy --prod "/app/$service"; done

FROM node:24-slim
# tini as PID 1: forwards SIGTERM/SIGINT to node (which then closes with grace) and reaps zombies.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
ENV NODE_ENV=production HOST=0.0.0.0
USER node
# The heap flags of scripts/service-flags.ts (V8 refuses some of them in NODE_OPTIONS).
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-old-space-size=256", "--initial-old-space-size=128", "--max-semi-space-size=16"]
CMD ["api/dist/main.js"]
