# One image for the four services (catalog, api, worker, portal); docker-compose.yml picks the service with the command.
FROM node:24-slim
WORKDIR /app
RUN npm install -g pnpm@12
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches ./patches
COPY packages ./packages
COPY services ./services
COPY scripts ./scripts
COPY test/package.json ./test/package.json
RUN pnpm install --frozen-lockfile
COPY tsconfig.json ./
# The portal's front end is built into the image (the portal would otherwise build it on start).
RUN node --import tsx services/portal/src/build-cli.ts
ENV NODE_ENV=production HOST=0.0.0.0
USER node
CMD ["pnpm", "start:api"]
