/**
 * The app's configuration: read from CDK context (`cdk.json`, `-c key=value`), validated in this one
 * place. Every problem is reported at once, each naming the key, the value given and what is allowed.
 *
 * @example
 * const config = parseAppConfig((key) => app.node.tryGetContext(key));
 */

import {
  COOKIE_NAME_RULE,
  configProblem,
  DEFAULT_GLOBAL_CONSISTENCY,
  DEFAULT_SESSION_STORE,
  GLOBAL_CONSISTENCIES,
  type GlobalConsistency,
  isCookieName,
  SESSION_STORES,
  type SessionStoreKind,
} from '../../lambdas/config/vocabulary';
import { allowedZones, type ZonePlacement, zonePlacement } from './availability-zones';
import { SCALING_POLICY } from './scaling-policy';

// Value sets the runtime shares live in the vocabulary module; re-exported for the app's callers.
export { GLOBAL_CONSISTENCIES, SESSION_STORES, type GlobalConsistency, type SessionStoreKind };

export const STICKY_MODES = ['off', 'lb', 'app'] as const;
export const DB_REPLICATION_MODES = ['async', 'sync'] as const;
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

export type StickyMode = (typeof STICKY_MODES)[number];
export type DbReplication = (typeof DB_REPLICATION_MODES)[number];
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

export interface AppConfig {
  /** 12-digit account, or undefined for an account-agnostic synth (no credentials needed). */
  readonly account?: string;
  readonly sticky: StickyMode;
  readonly stickyDurationSeconds: number;
  readonly stickyCookieName?: string;
  readonly sessionStore: SessionStoreKind;
  readonly readReplicas: number;
  readonly dbReplication: DbReplication;
  readonly primaryRegion: string;
  readonly replicaRegions: readonly string[];
  readonly globalConsistency: GlobalConsistency;
  readonly witnessRegion?: string;
  readonly dbInstanceClass: string;
  readonly cacheNodeType: string;
  readonly cacheReplicas: number;
  readonly natGateways: number;
  /** The VPC's two Availability Zones, by zone ID (or the legacy first two zone names). */
  readonly availabilityZones: ZonePlacement;
  /** Fargate tasks that always run (the scalable target's minimum). */
  readonly fargateMinTasks: number;
  /** Ceiling of the Fargate tier's auto scaling. */
  readonly fargateMaxTasks: number;
  /** Target of the ALBRequestCountPerTarget policy: requests per task per minute. */
  readonly targetRequestsPerTask: number;
  /** Reserved concurrency of each pattern function behind the ALB; 0 = no reservation. */
  readonly lambdaConcurrency: number;
  /** RDS Proxy in front of the primary for the Lambda tier. */
  readonly dbProxy: boolean;
  /** Optional address that alarm notifications are emailed to (through an SNS topic). */
  readonly alarmEmail?: string;
  /**
   * Optional monthly limit (USD) of an AWS Budgets budget on the stacks' cost allocation tag, which
   * emails alarmEmail at the actual and forecast thresholds (requires alarmEmail).
   */
  readonly budgetMonthlyUsd?: number;
  readonly lambdaMemoryMb: number;
  readonly interfaceEndpoints: boolean;
  readonly certificateArn?: string;
  readonly removalPolicy: DataRemovalPolicy;
  readonly edge: EdgeMode;
  /** A WAF web ACL on the edge (CloudFront) or on the ALB (edge=none). */
  readonly waf: boolean;
  /** Requests per 5 minutes per client IP before the WAF blocks that IP. */
  readonly wafRateLimit: number;
  /** Days the WAF's blocked requests and CloudFront's access logs are kept; 0 = no edge logs. */
  readonly edgeLogRetentionDays: number;
}

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

/** Bounds of budgetMonthlyUsd (whole US dollars a month). */
export const BUDGET_MONTHLY_USD_RANGE = { min: 1, max: 1_000_000 } as const;

/** Upper bound of fargateMaxTasks: beyond it the connection budget of any supported class is a guess. */
export const MAX_FARGATE_TASKS = 50;

export class AppConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'AppConfigError';
  }
}

export interface ParsedAppConfig {
  readonly config: AppConfig;
  /** Legal but risky choices, shown as synth-time warnings. */
  readonly warnings: readonly string[];
  /** Which stacks to synthesize (see DEPLOY_PROFILES); the configuration above applies to those. */
  readonly profile: DeployProfile;
}

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** Reads one context value; `-c` gives strings, `cdk.json` may give numbers or booleans. */
export type ContextReader = (key: ContextKey | RemovedContextKey) => unknown;

class Problems {
  readonly list: string[] = [];
  add(key: string, given: unknown, allowed: string): void {
    this.list.push(configProblem(key, given, allowed));
  }
}

function text(read: ContextReader, key: ContextKey): string | undefined {
  const value = read(key) ?? CONTEXT_DEFAULTS[key];
  if (value === undefined || value === null) return undefined;
  const result = String(value).trim();
  return result === '' ? undefined : result;
}

function oneOf<T extends string>(read: ContextReader, key: ContextKey, allowed: readonly T[], problems: Problems): T {
  const value = text(read, key) ?? '';
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.add(key, read(key), allowed.join(', '));
  return CONTEXT_DEFAULTS[key] as T;
}

function integer(read: ContextReader, key: ContextKey, min: number, max: number, problems: Problems): number {
  const raw = text(read, key);
  const value = raw === undefined || !/^-?\d+$/.test(raw) ? NaN : Number(raw);
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  problems.add(key, read(key), `an integer from ${min} to ${max}`);
  return CONTEXT_DEFAULTS[key] as number;
}

function bool(read: ContextReader, key: ContextKey, problems: Problems): boolean {
  const raw = text(read, key);
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  problems.add(key, read(key), 'true, false');
  return CONTEXT_DEFAULTS[key] as boolean;
}

function region(read: ContextReader, key: ContextKey, problems: Problems): string | undefined {
  const value = text(read, key);
  if (value === undefined) return undefined;
  if (REGION_PATTERN.test(value)) return value;
  problems.add(key, read(key), 'an AWS Region code such as us-east-1');
  return undefined;
}

function regionList(read: ContextReader, primary: string | undefined, problems: Problems): string[] {
  const key = 'replicaRegions';
  const raw = text(read, key) ?? '';
  const regions = raw
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (regions.length === 0) {
    problems.add(key, read(key), 'a comma-separated list of at least one AWS Region, distinct from primaryRegion');
    return [];
  }
  const invalid = regions.filter((r) => !REGION_PATTERN.test(r));
  if (invalid.length > 0) {
    problems.add(key, read(key), `AWS Region codes such as us-east-2 (not valid: ${invalid.join(', ')})`);
  }
  if (primary !== undefined && regions.includes(primary)) {
    problems.add(key, read(key), `Regions other than primaryRegion (${primary})`);
  }
  const duplicates = regions.filter((r, i) => regions.indexOf(r) !== i);
  if (duplicates.length > 0) {
    problems.add(key, read(key), `each Region once (repeated: ${[...new Set(duplicates)].join(', ')})`);
  }
  return regions;
}

/** budgetMonthlyUsd: unset, or whole dollars in range; the budget's notifications need alarmEmail. */
function optionalBudget(read: ContextReader, alarmEmail: string | undefined, problems: Problems): number | undefined {
  const key = 'budgetMonthlyUsd';
  const raw = text(read, key);
  if (raw === undefined) return undefined;
  const { min, max } = BUDGET_MONTHLY_USD_RANGE;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) {
    problems.add(key, read(key), `an integer from ${min} to ${max} (US dollars a month), or unset for no budget`);
    return undefined;
  }
  if (alarmEmail === undefined) {
    problems.add(key, read(key), 'unset unless alarmEmail is set (the budget emails its notifications to alarmEmail)');
    return undefined;
  }
  return value;
}

function checkStrongConsistency(
  primary: string,
  replicas: readonly string[],
  witness: string | undefined,
  problems: Problems,
): void {
  const all = [primary, ...replicas, ...(witness === undefined ? [] : [witness])];
  const set = Object.entries(MRSC_REGION_SETS).find(([, regions]) => regions.includes(primary));
  if (set === undefined) {
    problems.add(
      'primaryRegion',
      primary,
      `with globalConsistency=strong, a Region of one MRSC Region set (${Object.entries(MRSC_REGION_SETS)
        .map(([name, regions]) => `${name}: ${regions.join(' ')}`)
        .join('; ')})`,
    );
    return;
  }
  const [setName, setRegions] = set;
  const outside = all.filter((r) => !setRegions.includes(r));
  if (outside.length > 0) {
    problems.add(
      witness !== undefined && outside.includes(witness) ? 'witnessRegion' : 'replicaRegions',
      witness !== undefined && outside.includes(witness) ? witness : replicas.join(','),
      `with globalConsistency=strong, only Regions of the ${setName} set: ${setRegions.join(', ')}`,
    );
  }
  const replicaCount = replicas.length + 1;
  if (witness === undefined && replicaCount !== 3) {
    problems.add(
      'replicaRegions',
      replicas.join(','),
      'with globalConsistency=strong, exactly 2 Regions (3 replicas with the primary), or 1 Region plus witnessRegion',
    );
  }
  if (witness !== undefined && replicaCount !== 2) {
    problems.add('replicaRegions', replicas.join(','), 'with witnessRegion set, exactly 1 Region (2 replicas with the primary)');
  }
}

/** Parses and validates the context; throws AppConfigError listing every problem. */
export function parseAppConfig(read: ContextReader): ParsedAppConfig {
  const problems = new Problems();
  const warnings: string[] = [];
  const profile = oneOf(read, 'profile', DEPLOY_PROFILES, problems);

  const sticky = oneOf(read, 'sticky', STICKY_MODES, problems);
  const stickyDurationSeconds = integer(read, 'stickyDurationSeconds', 1, 604800, problems);
  const stickyCookieName = text(read, 'stickyCookieName');
  if (sticky === 'app') {
    if (stickyCookieName === undefined) {
      problems.add('stickyCookieName', read('stickyCookieName'), 'a cookie name (required when sticky=app), e.g. SESSION');
    } else if (/^AWSALB/i.test(stickyCookieName)) {
      problems.add('stickyCookieName', stickyCookieName, 'a name not starting with AWSALB (reserved by the load balancer)');
    } else if (!isCookieName(stickyCookieName)) {
      problems.add('stickyCookieName', stickyCookieName, COOKIE_NAME_RULE);
    }
  } else if (stickyCookieName !== undefined) {
    warnings.push(`stickyCookieName=${stickyCookieName} is ignored because sticky=${sticky} (it applies only to sticky=app)`);
  }

  const sessionStore = oneOf(read, 'sessionStore', SESSION_STORES, problems);
  if (sessionStore === 'memory' && sticky === 'off') {
    warnings.push(
      'sessionStore=memory with sticky=off: each request may reach another instance, so sessions will be lost between instances. Use -c sticky=lb (or app), or sessionStore=redis/cookie.',
    );
  }

  const readReplicas = integer(read, 'readReplicas', 0, 15, problems);
  const dbReplication = oneOf(read, 'dbReplication', DB_REPLICATION_MODES, problems);

  const primaryRegion = region(read, 'primaryRegion', problems);
  const replicaRegions = regionList(read, primaryRegion, problems);
  const globalConsistency = oneOf(read, 'globalConsistency', GLOBAL_CONSISTENCIES, problems);
  const witnessRegion = region(read, 'witnessRegion', problems);
  if (witnessRegion !== undefined) {
    if (globalConsistency !== 'strong') {
      problems.add('witnessRegion', witnessRegion, 'unset unless globalConsistency=strong');
    } else if (witnessRegion === primaryRegion || replicaRegions.includes(witnessRegion)) {
      problems.add('witnessRegion', witnessRegion, 'a Region that is neither primaryRegion nor in replicaRegions');
    }
  }
  const regionsValid = replicaRegions.length > 0 && replicaRegions.every((r) => REGION_PATTERN.test(r));
  if (globalConsistency === 'strong' && primaryRegion !== undefined && regionsValid) {
    checkStrongConsistency(primaryRegion, replicaRegions, witnessRegion, problems);
  }

  const dbInstanceClass = text(read, 'dbInstanceClass') ?? '';
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(dbInstanceClass)) {
    problems.add('dbInstanceClass', read('dbInstanceClass'), 'an RDS instance class without the db. prefix, e.g. t4g.micro');
  }
  const cacheNodeType = text(read, 'cacheNodeType') ?? '';
  if (!/^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(cacheNodeType)) {
    problems.add('cacheNodeType', read('cacheNodeType'), 'an ElastiCache node type, e.g. cache.t4g.micro');
  }
  const cacheReplicas = integer(read, 'cacheReplicas', 0, 5, problems);
  const natGateways = integer(read, 'natGateways', 1, 2, problems);
  const zonesText = text(read, 'availabilityZones');
  const availabilityZones = primaryRegion === undefined ? undefined : zonePlacement(primaryRegion, zonesText);
  if (primaryRegion !== undefined && availabilityZones === undefined) {
    problems.add('availabilityZones', read('availabilityZones'), allowedZones(primaryRegion));
  }
  for (const [key, allowed] of Object.entries(REMOVED_CONTEXT_KEYS) as Array<[RemovedContextKey, string]>) {
    if (read(key) !== undefined) problems.add(key, read(key), allowed);
  }
  const fargateMinTasks = integer(read, 'fargateMinTasks', 1, MAX_FARGATE_TASKS, problems);
  const fargateMaxTasks = integer(read, 'fargateMaxTasks', 1, MAX_FARGATE_TASKS, problems);
  if (fargateMinTasks > fargateMaxTasks) {
    problems.add('fargateMinTasks', read('fargateMinTasks') ?? fargateMinTasks, `at most fargateMaxTasks (${fargateMaxTasks})`);
  }
  const targetRequestsPerTask = integer(read, 'targetRequestsPerTask', 1, 1_000_000, problems);
  const lambdaConcurrency = integer(read, 'lambdaConcurrency', 0, 1000, problems);
  const dbProxy = bool(read, 'dbProxy', problems);
  const alarmEmail = text(read, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    problems.add('alarmEmail', alarmEmail, 'an email address (or unset for alarms without notification)');
  }
  const budgetMonthlyUsd = optionalBudget(read, alarmEmail, problems);
  const lambdaMemoryMb = integer(read, 'lambdaMemoryMb', 128, 10240, problems);
  const interfaceEndpoints = bool(read, 'interfaceEndpoints', problems);
  const edge = oneOf(read, 'edge', EDGE_MODES, problems);
  const certificateArn = text(read, 'certificateArn');
  if (certificateArn !== undefined && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(certificateArn)) {
    problems.add('certificateArn', certificateArn, 'an ACM certificate ARN in primaryRegion');
  } else if (certificateArn !== undefined && edge === 'cloudfront') {
    // The internal ALB behind a VPC origin has no name a certificate could match; CloudFront's
    // default certificate already serves HTTPS to clients.
    problems.add('certificateArn', certificateArn, 'unset with edge=cloudfront (the distribution serves HTTPS with its default certificate); use -c edge=none to put a certificate on the ALB');
  }
  if (edge === 'none' && certificateArn === undefined) {
    warnings.push(
      'edge=none without certificateArn: the ALB serves plain HTTP, so browsers drop Secure cookies and sessions travel in clear text. Use the default edge=cloudfront, or give -c certificateArn=... for HTTPS on the ALB.',
    );
  }
  const waf = bool(read, 'waf', problems);
  const wafRateLimit = integer(read, 'wafRateLimit', WAF_RATE_LIMIT_RANGE.min, WAF_RATE_LIMIT_RANGE.max, problems);
  const edgeLogRetentionDays = Number(oneOf(read, 'edgeLogRetentionDays', EDGE_LOG_RETENTION_DAYS.map(String), problems));
  if (!waf) {
    warnings.push('waf=false: no web ACL, so nothing rate-limits or filters requests before they reach the compute tiers.');
  }
  const removalPolicy = oneOf(read, 'removalPolicy', REMOVAL_POLICIES, problems);
  const account = text(read, 'account');
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    problems.add('account', account, 'a 12-digit AWS account id (or unset)');
  }

  if (problems.list.length > 0) throw new AppConfigError(problems.list);
  return {
    config: {
      account,
      sticky,
      stickyDurationSeconds,
      stickyCookieName: sticky === 'app' ? stickyCookieName : undefined,
      sessionStore,
      readReplicas,
      dbReplication,
      primaryRegion: primaryRegion as string,
      replicaRegions,
      globalConsistency,
      witnessRegion,
      dbInstanceClass,
      cacheNodeType,
      cacheReplicas,
      natGateways,
      availabilityZones: availabilityZones as ZonePlacement,
      fargateMinTasks,
      fargateMaxTasks,
      targetRequestsPerTask,
      lambdaConcurrency,
      dbProxy,
      alarmEmail,
      budgetMonthlyUsd,
      lambdaMemoryMb,
      interfaceEndpoints,
      certificateArn,
      removalPolicy,
      edge,
      waf,
      wafRateLimit,
      edgeLogRetentionDays,
    },
    warnings,
    profile,
  };
}

/** Every Region the app deploys to: the primary first, then the replica Regions. */
export function allRegions(config: AppConfig): string[] {
  return [config.primaryRegion, ...config.replicaRegions];
}
