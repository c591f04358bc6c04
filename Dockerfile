# The Orca worker image. It needs no Temporal CLI: it connects to TEMPORAL_ADDRESS.
# Build: docker build -t orca .   Run: docker run -e TEMPORAL_ADDRESS=... -e OPENAI_API_KEY=... -v "$PWD:/workspace" orca
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: `prepare` would build the Temporal CLI, which a worker does not use.
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# Tools the agents' bash calls commonly reach for.
RUN apt-get update && apt-get install -y --no-install-recommends git ripgrep ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
ENV NODE_ENV=production
# The workspace the tools work in is mounted here; the image's own user (node, 1000) may write to it.
RUN mkdir -p /workspace && chown node:node /workspace
USER node
WORKDIR /workspace
ENTRYPOINT ["node", "/app/dist/client/cli.js"]
CMD ["worker"]
