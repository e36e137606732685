# The Fargate tier: the same routes as the Lambda handlers, served by one Node.js HTTP server.
# Built by `cdk deploy` (ContainerImage.fromAsset) for linux/arm64.
# Node.js major: DEPLOYED_NODE_MAJOR in lambdas/config/node-version.ts (test/infra/versions.test.ts checks both stages).

# Build stage runs on the build machine's own platform: esbuild's output is plain JavaScript.
FROM --platform=$BUILDPLATFORM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY lambdas ./lambdas
# The console's browser script (lambdas/console/browser/) is bundled here and built into the server
# as a string (esbuild --define, see lambdas/console/console-bundle.ts): the image never bundles it.
RUN npm run build:server -- "$(npx tsx lambdas/console/console-define.ts)"

FROM node:24-bookworm-slim
# RDS requires TLS; this bundle lets Node verify the RDS server certificates.
ADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem \
    PORT=8080 \
    PATTERN_TIER=fargate
WORKDIR /app
COPY --from=build /src/dist/container-server ./
USER node
EXPOSE 8080
CMD ["node", "container-server.js"]
