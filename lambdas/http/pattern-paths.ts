/**
 * The paths each pattern serves, in one list: the container server mounts them, and the CDK app
 * turns them into ALB rules under `/lambda` for the pattern's own Lambda function.
 * Values are ALB-style path patterns (`*` matches the rest of the path; at most 5 per pattern).
 */
/** ALB rules send `/lambda/...` to the Lambda tier; the app's routes are the same on both tiers. */
export const LAMBDA_PATH_PREFIX = '/lambda';

export const PATTERN_PATHS = {
  // `/` and `/console/*`: the console page, served by the identity function on the Lambda tier.
  identity: ['/whoami', '/healthz', '/work', '/', '/console/*'],
  sessions: ['/session', '/session/*'],
  cacheAside: ['/profiles/*'],
  readReplica: ['/notes', '/notes/*'],
  replicationLag: ['/replication/*'],
  counters: ['/counters/*'],
  multiMaster: ['/items/*'],
} as const satisfies Record<string, readonly string[]>;

export type PatternName = keyof typeof PATTERN_PATHS;
