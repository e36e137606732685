/**
 * The pattern registry: each pattern of the README's pattern table, keyed by its one word, with
 * every face it has (ALB paths, Lambda handler, dashboard, lab experiments, e2e checks, console
 * panels). The word is also the file-name prefix of its faces, so `git ls-files | grep <word>`
 * finds them. Data only, no runtime code: the CDK app imports it (CONTRIBUTING.md, layer table).
 * `test/unit/pattern-registry.test.ts` checks each face against the code that implements it.
 *
 * Two kinds of field keep a name from before the words, because changing them would change what is
 * deployed or what a running app reports: `routeKey` (the key of `PATTERN_PATHS`, reported by the
 * container server as mounted/unconfigured) and `lambdaTierId` (the construct id of the pattern's
 * function in the Lambda tier, which decides CloudFormation logical ids).
 */

export interface PatternEntry {
  /** The pattern's row title in the README's pattern table. */
  readonly title: string;
  /** The key of its paths in `PATTERN_PATHS` (legacy name, kept: the container server reports it). */
  readonly routeKey?: string;
  /** ALB-style path patterns it serves (`*` matches the rest of the path; at most 5 per pattern). */
  readonly albPaths?: readonly string[];
  /** Its Lambda handler file under `lambdas/handlers/`, without extension. */
  readonly handler?: string;
  /** Construct id of its function in the Lambda tier (legacy name, kept: it decides logical ids). */
  readonly lambdaTierId?: string;
  /** The construct id (and dashboard name suffix) of the CloudWatch dashboard that shows it. */
  readonly dashboard?: string;
  /** Ids of the lab experiments that measure it (`npm run lab -- --only <id>`). */
  readonly labExperiments: readonly string[];
  /** Ids of the e2e checks that prove it (`npm run e2e -- --only <id>`). */
  readonly e2eChecks: readonly string[];
  /** Element ids of its panels on the console page. */
  readonly consolePanels: readonly string[];
}

export const PATTERNS = {
  'reverse-proxy': {
    title: 'Reverse proxy / load balancer',
    routeKey: 'identity',
    // `/` and `/console/*`: the console page, served by this pattern's function on the Lambda tier.
    albPaths: ['/whoami', '/healthz', '/work', '/', '/console/*'],
    handler: 'reverse-proxy-handler',
    lambdaTierId: 'Whoami',
    dashboard: 'ReverseProxy',
    labExperiments: ['reverse-proxy-scale-out'],
    e2eChecks: ['reverse-proxy@fargate', 'reverse-proxy@lambda', 'stickiness-on@fargate', 'stickiness-off@fargate'],
    consolePanels: ['identity'],
  },
  sessions: {
    title: 'Stateful vs stateless sessions',
    routeKey: 'sessions',
    albPaths: ['/session', '/session/*'],
    handler: 'sessions-handler',
    lambdaTierId: 'Session',
    dashboard: 'CacheAndSessions',
    labExperiments: ['sessions-instance-loss', 'sessions-memory', 'sessions-overhead'],
    e2eChecks: ['sessions@fargate', 'sessions@lambda'],
    consolePanels: ['sessions'],
  },
  'cache-aside': {
    title: 'Server-side cache (cache-aside)',
    routeKey: 'cacheAside',
    albPaths: ['/profiles/*'],
    handler: 'cache-aside-handler',
    lambdaTierId: 'CacheAside',
    dashboard: 'CacheAndSessions',
    labExperiments: ['cache-aside'],
    e2eChecks: ['cache-aside@fargate', 'cache-aside@lambda'],
    consolePanels: ['cache'],
  },
  'read-replica': {
    title: 'Read replicas, read/write splitting, read-your-writes',
    routeKey: 'readReplica',
    albPaths: ['/notes', '/notes/*'],
    handler: 'read-replica-handler',
    lambdaTierId: 'ReadReplica',
    dashboard: 'ReadReplicas',
    labExperiments: ['read-replica-lag'],
    e2eChecks: ['read-replica@fargate', 'read-replica@lambda'],
    consolePanels: ['replicas'],
  },
  'replication-lag': {
    title: 'Replication lag',
    routeKey: 'replicationLag',
    albPaths: ['/replication/*'],
    handler: 'replication-lag-handler',
    lambdaTierId: 'ReplicationLag',
    dashboard: 'ReadReplicas',
    labExperiments: ['read-replica-lag'],
    e2eChecks: ['replication-lag@fargate', 'replication-lag@lambda'],
    consolePanels: ['lag'],
  },
  'sync-replication': {
    title: 'Synchronous vs asynchronous replication',
    labExperiments: ['sync-replication', 'failover-loss'],
    e2eChecks: [],
    consolePanels: [],
  },
  failover: {
    title: 'Failover and promotion',
    // Invoked directly (`scripts/failover.ts`), never behind the load balancer.
    handler: 'failover-operations-handler',
    labExperiments: ['failover-loss'],
    e2eChecks: [],
    consolePanels: [],
  },
  'multi-master': {
    title: 'Multi-master across regions',
    routeKey: 'multiMaster',
    albPaths: ['/items/*'],
    // Deployed by the regional stacks, not by the Lambda tier.
    handler: 'multi-master-handler',
    dashboard: 'MultiMaster',
    labExperiments: ['multi-master'],
    e2eChecks: ['multi-master-writes', 'multi-master-replication', 'multi-master-conflict'],
    consolePanels: ['multimaster'],
  },
  counters: {
    title: 'Independence vs coordination',
    routeKey: 'counters',
    albPaths: ['/counters/*'],
    handler: 'counters-handler',
    lambdaTierId: 'Counters',
    dashboard: 'ReadReplicas',
    labExperiments: ['counters'],
    e2eChecks: ['counters@fargate', 'counters@lambda'],
    consolePanels: ['counters'],
  },
} as const satisfies Record<string, PatternEntry>;

export type PatternWord = keyof typeof PATTERNS;

/** The pattern words, in the README table's order. */
export const PATTERN_WORDS = Object.keys(PATTERNS) as PatternWord[];

/**
 * Lab experiments that measure the platform rather than one pattern of the table (connection
 * pooling under a burst, autoscaling), so that every registered experiment is accounted for.
 */
export const PLATFORM_EXPERIMENTS = ['connection-storm', 'autoscale'] as const;

/** Handlers that serve no pattern: deployment plumbing (schema migration, the concurrency check). */
export const PLUMBING_HANDLERS = ['migration-handler', 'concurrency-preflight-handler'] as const;
