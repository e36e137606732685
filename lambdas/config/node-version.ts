/**
 * The one Node.js major version the deployed tiers run: the Lambda runtime (`nodejs<N>.x`), the
 * container image (`node:<N>-bookworm-slim` in the Dockerfile), and the esbuild target of every
 * bundle (handlers, `npm run build:server`, the harness's app bundle). `test/infra/versions.test.ts`
 * checks the Dockerfile, package.json and the synthesized functions against it.
 */
export const DEPLOYED_NODE_MAJOR = 24;

/** The esbuild target of every bundle, e.g. `node24`. */
export const DEPLOYED_NODE_TARGET = `node${DEPLOYED_NODE_MAJOR}`;
