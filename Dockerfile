# BinPulse platform: broker, ingest, stores, alerts, API and web console in one Node process.
# Runs the TypeScript sources with tsx, as `npm start` does: tsx and esbuild (the console is
# bundled at start-up) are runtime dependencies, so `npm ci --omit=dev` installs all it needs.
# The simulated fleet runs beside it with SIMULATOR=on, or in its own image (simulators/Dockerfile).
FROM node:20-bookworm-slim
WORKDIR /app
# The same two layers as simulators/Dockerfile, so the second build reuses them from the cache.
COPY package.json package-lock.json ./
# Build tools only for better-sqlite3, in case no prebuilt binary matches; removed in the same layer.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && npm ci --omit=dev \
  && apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
  && npm cache clean --force
# services/ whole: the console's sources (services/console) are bundled when the platform starts.
COPY shared ./shared
COPY services ./services
COPY simulators ./simulators
# The code stays root-owned and read-only to the process; only /data is its own. A new named
# volume mounted on /data takes this ownership (see docs/deployment.md for older volumes).
RUN mkdir -p /data && chown node:node /data
USER node
# HOST: the platform listens on loopback by default, which the published ports cannot reach.
ENV DATA_DIR=/data HOST=0.0.0.0
VOLUME /data
EXPOSE 1883 8083 8080 8883 8084 8443
CMD ["node", "--import", "tsx", "services/platform/main.ts"]
