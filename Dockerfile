# Vigie image: Node 20 on Debian bookworm with Debian's Chromium (the version playwright-core ~1.64 is built for) and
# tini as PID 1, so the Chromium processes Vigie closes are reaped instead of piling up as zombies (F31).
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium tini fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/vigie
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV VIGIE_CHROMIUM=/usr/bin/chromium NODE_ENV=production
USER node
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/vigie.mjs"]
CMD ["start", "--config", "/etc/vigie/vigie.yml"]
