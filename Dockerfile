# Runway: `runway start` by default; `docker run … runway worker` or `… runway app` for one role.
# The image runs the compiled JavaScript (`npm run build` → dist/): a clone runs the TypeScript
# sources through tsx, which costs each process ~40 MB of RSS that a pod's memory limit should not
# pay. One stage installs production dependencies, another builds dist/ with the dev ones.

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
COPY commands ./commands
COPY jobs ./jobs
RUN npm run build

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    RUNWAY_CONFIG=/app/runway.yml
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY manifest.yml runway.example.yml ./
# git for `changelog: { git: … }`, a font for the text of canary charts (resvg draws with system fonts).
RUN apt-get update && apt-get install -y --no-install-recommends git fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
# Make `runway` a command, and run as an unprivileged user with a fixed numeric id (10001), so
# Kubernetes' runAsNonRoot can verify it. With REDIS_URL set nothing is written but TMPDIR: the
# image runs with a read-only root filesystem and an emptyDir on /tmp (deploy/kubernetes).
# /app/.runway is only for the private redis-server when REDIS_URL is unset.
RUN ln -s /app/dist/src/main.js /usr/local/bin/runway && chmod +x /app/dist/src/main.js \
    && groupadd --system --gid 10001 runway \
    && useradd --system --uid 10001 --gid runway --home /app runway \
    && mkdir -p /app/.runway && chown runway:runway /app/.runway
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Exec form: SIGTERM reaches Runway itself, which drains its jobs and exits within 30 seconds.
ENTRYPOINT ["node", "/app/dist/src/main.js"]
CMD ["start"]
