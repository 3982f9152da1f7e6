# Tocsin in a container: one process, SQLite in /data by default, PostgreSQL with TOCSIN_DATABASE_URL.
#   docker build -t tocsin .
#   docker run -d --name tocsin -p 8080:8080 -v tocsin-data:/data -e TOCSIN_PUBLIC_URL=https://oncall.example.com tocsin

# ---- build: compile the server and the console, then drop dev dependencies ----
FROM node:20-bookworm-slim AS build
# Native modules (better-sqlite3, argon2) fall back to compiling when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Sources first: `npm ci` runs the prepare script, which builds dist/ and web/dist/.
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY web ./web
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

# ---- run ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    TOCSIN_DATA_DIR=/data \
    TOCSIN_HOST=0.0.0.0 \
    TOCSIN_PORT=8080 \
    TOCSIN_WEB_DIR=/app/web/dist
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/web/dist ./web/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Liveness only: readiness (/readyz) belongs to the load balancer, which should stop routing on 503.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.TOCSIN_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM from `docker stop` drains in-flight requests and closes the database.
ENTRYPOINT ["node", "bin/tocsin.js"]
CMD ["serve"]
