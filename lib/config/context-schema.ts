/**
 * The CDK context this app reads: every key with its default (the same defaults `cdk.json`
 * carries), its value sets, and the field schema of each key. The schemas are the ones the
 * runtime, the playground's flags and its actions use (`lambdas/config/schemas.ts`), so that a
 * value means the same on every side; the rules across keys are in `context-rules.ts`.
 */
import {
  awsRegion,
  booleanWord,
  CERTIFICATE_ARN,
  integerIn,
  matching,
  oneOf,
  optional,
  type TextField,
} from '../../lambdas/config/schemas';
import {
  DB_REPLICATION_MODES,
  DEFAULT_GLOBAL_CONSISTENCY,
  DEFAULT_SESSION_STORE,
  GLOBAL_CONSISTENCIES,
  SESSION_STORES,
  STICKY_MODES,
} from '../../lambdas/config/vocabulary';
import { SCALING_POLICY } from './scaling-policy';

export const REMOVAL_POLICIES = ['snapshot', 'destroy'] as const;
/**
 * Which stacks the app synthesizes: `full` (every stack), or `localstack`: only what LocalStack's
 * free tier emulates (the global table and the regional multi-master writers with their Function
 * URLs; no VPC, RDS, ElastiCache, ALB or ECS, which are in its paid tiers since March 2026).
 */
export const DEPLOY_PROFILES = ['full', 'localstack'] as const;
/**
 * What clients reach: `cloudfront` (a distribution with its default HTTPS certificate in front of an
 * internal ALB, through a VPC origin) or `none` (the ALB itself, internet-facing).
 */
export const EDGE_MODES = ['cloudfront', 'none'] as const;
/**
 * Retention of the edge logs (what the WAF blocked, CloudFront's access logs), in days: one of the
 * values CloudWatch Logs accepts up to a quarter, or 0 for no edge logs (they cost per GB ingested).
 */
export const EDGE_LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90] as const;
/** AWS WAF's bounds for a rate-based rule's limit (requests per evaluation window per key). */
export const WAF_RATE_LIMIT_RANGE = { min: 10, max: 2_000_000_000 } as const;

export type DataRemovalPolicy = (typeof REMOVAL_POLICIES)[number];
export type DeployProfile = (typeof DEPLOY_PROFILES)[number];
export type EdgeMode = (typeof EDGE_MODES)[number];

/**
 * DynamoDB multi-Region strong consistency (MRSC) only works inside one of these Region sets.
 * Mirrors the rule `TableV2` enforces, so that the error can name our context keys.
 */
export const MRSC_REGION_SETS: Readonly<Record<string, readonly string[]>> = {
  US: ['us-east-1', 'us-east-2', 'us-west-2'],
  EU: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  AP: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
};

/** Every context key this app reads, with its default (the same defaults `cdk.json` carries). */
export const CONTEXT_DEFAULTS = {
  sticky: 'off',
  stickyDurationSeconds: 3600,
  stickyCookieName: undefined,
  sessionStore: DEFAULT_SESSION_STORE,
  readReplicas: 2,
  dbReplication: 'async',
  primaryRegion: 'us-east-1',
  replicaRegions: 'us-east-2,us-west-2',
  globalConsistency: DEFAULT_GLOBAL_CONSISTENCY,
  witnessRegion: undefined,
  dbInstanceClass: 't4g.micro',
  cacheNodeType: 'cache.t4g.micro',
  cacheReplicas: 1,
  natGateways: 1,
  // Unset: the checked pair of zone IDs of primaryRegion (DEFAULT_ZONE_IDS).
  availabilityZones: undefined,
  fargateMinTasks: SCALING_POLICY.fargateMinTasks,
  fargateMaxTasks: SCALING_POLICY.fargateMaxTasks,
  targetRequestsPerTask: SCALING_POLICY.targetRequestsPerTask,
  lambdaConcurrency: 10,
  dbProxy: true,
  alarmEmail: undefined,
  budgetMonthlyUsd: undefined,
  lambdaMemoryMb: 256,
  interfaceEndpoints: false,
  certificateArn: undefined,
  removalPolicy: 'snapshot',
  edge: 'cloudfront',
  waf: true,
  // ~33 requests/s sustained from one IP: far above the e2e suite (a few hundred requests per run)
  // and a person clicking through the console; the lab's load clients never reach AWS.
  wafRateLimit: 10000,
  edgeLogRetentionDays: 14,
  account: undefined,
  profile: 'full',
} as const;

export type ContextKey = keyof typeof CONTEXT_DEFAULTS;

/**
 * Keys this app no longer reads, with what replaced them: passing one fails synth rather than being
 * silently ignored (a user who pinned `fargateTasks=4` would otherwise get auto scaling from 2).
 */
export const REMOVED_CONTEXT_KEYS = {
  fargateTasks: 'unset (removed: the Fargate tier auto-scales; use fargateMinTasks, fargateMaxTasks and targetRequestsPerTask)',
} as const;

export type RemovedContextKey = keyof typeof REMOVED_CONTEXT_KEYS;

/** Reads one context value; `-c` gives strings, `cdk.json` may give numbers or booleans. */
export type ContextReader = (key: ContextKey | RemovedContextKey) => unknown;

/** Bounds of budgetMonthlyUsd (whole US dollars a month). */
export const BUDGET_MONTHLY_USD_RANGE = { min: 1, max: 1_000_000 } as const;

/** Upper bound of fargateMaxTasks: beyond it the connection budget of any supported class is a guess. */
export const MAX_FARGATE_TASKS = 50;

/**
 * The rule of each key on its own (the rules across keys are in `context-rules.ts`). Each schema
 * reads the key's text: the value given, or its default, trimmed.
 */
export const CONTEXT_FIELDS = {
  profile: oneOf(DEPLOY_PROFILES),
  sticky: oneOf(STICKY_MODES),
  stickyDurationSeconds: integerIn(1, 604800),
  sessionStore: oneOf(SESSION_STORES),
  readReplicas: integerIn(0, 15),
  dbReplication: oneOf(DB_REPLICATION_MODES),
  primaryRegion: optional(awsRegion),
  globalConsistency: oneOf(GLOBAL_CONSISTENCIES),
  witnessRegion: optional(awsRegion),
  dbInstanceClass: matching(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an RDS instance class without the db. prefix, e.g. t4g.micro'),
  cacheNodeType: matching(/^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an ElastiCache node type, e.g. cache.t4g.micro'),
  cacheReplicas: integerIn(0, 5),
  natGateways: integerIn(1, 2),
  fargateMinTasks: integerIn(1, MAX_FARGATE_TASKS),
  fargateMaxTasks: integerIn(1, MAX_FARGATE_TASKS),
  targetRequestsPerTask: integerIn(1, 1_000_000),
  lambdaConcurrency: integerIn(0, 1000),
  dbProxy: booleanWord,
  alarmEmail: optional(matching(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address (or unset for alarms without notification)')),
  budgetMonthlyUsd: optional(
    integerIn(
      BUDGET_MONTHLY_USD_RANGE.min,
      BUDGET_MONTHLY_USD_RANGE.max,
      `an integer from ${BUDGET_MONTHLY_USD_RANGE.min} to ${BUDGET_MONTHLY_USD_RANGE.max} (US dollars a month), or unset for no budget`,
    ),
  ),
  lambdaMemoryMb: integerIn(128, 10240),
  interfaceEndpoints: booleanWord,
  edge: oneOf(EDGE_MODES),
  certificateArn: optional(matching(CERTIFICATE_ARN, 'an ACM certificate ARN in primaryRegion')),
  waf: booleanWord,
  wafRateLimit: integerIn(WAF_RATE_LIMIT_RANGE.min, WAF_RATE_LIMIT_RANGE.max),
  edgeLogRetentionDays: oneOf(EDGE_LOG_RETENTION_DAYS.map(String)),
  removalPolicy: oneOf(REMOVAL_POLICIES),
  account: optional(matching(/^\d{12}$/, 'a 12-digit AWS account id (or unset)')),
} satisfies Partial<Record<ContextKey, TextField<unknown>>>;

export type FieldKey = keyof typeof CONTEXT_FIELDS;
