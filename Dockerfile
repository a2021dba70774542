# One image for the three services; docker-compose.yml picks the service with the command.
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
ENV NODE_ENV=production HOST=0.0.0.0
USER node
CMD ["pnpm", "start:api"]
