# Vigie image: Node 20 on Debian bookworm with Debian's Chromium (the version playwright-core ~1.64 is built for) and
# tini as PID 1, so the Chromium processes Vigie closes are reaped instead of piling up as zombies (F31).
# Two stages: the first installs every dependency and compiles dist/ (scripts/build.mjs), then drops the dev ones;
# the image gets the result, owned by its user (the embedded store and the spool write under the working folder).
FROM node:20-bookworm-slim AS build
WORKDIR /opt/vigie
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium tini fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/vigie
COPY --from=build --chown=node:node /opt/vigie /opt/vigie
ENV VIGIE_CHROMIUM=/usr/bin/chromium NODE_ENV=production
USER node
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/vigie.mjs"]
CMD ["start", "--config", "/etc/vigie/vigie.yml"]
