# BinPulse platform (broker, ingest, API) and, with SIMULATOR=on, the simulated district fleet.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && npm ci --omit=dev \
  && apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
COPY shared ./shared
COPY services ./services
COPY simulators ./simulators
ENV DATA_DIR=/data HOST=0.0.0.0
VOLUME /data
EXPOSE 1883 8083 8080
CMD ["node", "--import", "tsx", "services/platform/main.ts"]
