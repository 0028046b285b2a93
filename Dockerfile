# Runway: `runway start` by default; `docker run … runway worker` or `… runway app` for one role.
# TypeScript runs through tsx (a runtime dependency), so the image needs no compile step: the build
# stage only installs production dependencies, and the runtime stage copies them with the sources.

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    RUNWAY_CONFIG=/app/runway.yml
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY commands ./commands
COPY jobs ./jobs
COPY manifest.yml runway.example.yml ./
# git for `changelog: { git: … }`, a font for the text of canary charts (resvg draws with system fonts).
RUN apt-get update && apt-get install -y --no-install-recommends git fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
# Make `runway` a command, and run as an unprivileged user with a fixed numeric id (10001), so
# Kubernetes' runAsNonRoot can verify it. With REDIS_URL set nothing is written but TMPDIR (tsx's
# compile cache): the image runs with a read-only root filesystem and an emptyDir on /tmp
# (deploy/kubernetes). /app/.runway is only for the private redis-server when REDIS_URL is unset.
RUN ln -s /app/bin/runway.js /usr/local/bin/runway && chmod +x /app/bin/runway.js \
    && groupadd --system --gid 10001 runway \
    && useradd --system --uid 10001 --gid runway --home /app runway \
    && mkdir -p /app/.runway && chown runway:runway /app/.runway
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Exec form: SIGTERM reaches Runway itself, which drains its jobs and exits within 30 seconds.
ENTRYPOINT ["node", "/app/bin/runway.js"]
CMD ["start"]
