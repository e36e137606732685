/**
 * The app's configuration: read from CDK context (`cdk.json`, `-c key=value`), validated in this one
 * place. Every problem is reported at once, each naming the key, the value given and what is allowed.
 * The keys, defaults and field schemas are in `context-schema.ts` (the schemas every configuration
 * of the project shares), the rules across keys in `context-rules.ts`.
 *
 * @example
 * const config = parseAppConfig((key) => app.node.tryGetContext(key));
 */

import {
  DB_REPLICATION_MODES,
  type DbReplication,
  GLOBAL_CONSISTENCIES,
  type GlobalConsistency,
  SESSION_STORES,
  type SessionStoreKind,
  STICKY_MODES,
  type StickyMode,
} from '../../lambdas/config/vocabulary';
import { allowedZones, type ZonePlacement, zonePlacement } from './availability-zones';
import {
  checkStickyCookieName,
  checkStrongConsistency,
  checkWitness,
  ContextReading,
  isRegion,
  readBudget,
  readRegionList,
} from './context-rules';
import {
  type ContextReader,
  type DataRemovalPolicy,
  type DeployProfile,
  type EdgeMode,
  REMOVED_CONTEXT_KEYS,
  type RemovedContextKey,
} from './context-schema';

// Value sets the runtime shares live in the vocabulary module, the context's own in
// context-schema.ts; re-exported for the app's callers.
export { DB_REPLICATION_MODES, GLOBAL_CONSISTENCIES, SESSION_STORES, STICKY_MODES };
export type { DbReplication, GlobalConsistency, SessionStoreKind, StickyMode };
export * from './context-schema';

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

export interface ParsedAppConfig {
  readonly config: AppConfig;
  /** Legal but risky choices, shown as synth-time warnings. */
  readonly warnings: readonly string[];
  /** Which stacks to synthesize (see DEPLOY_PROFILES); the configuration above applies to those. */
  readonly profile: DeployProfile;
}

/** Parses and validates the context; throws AppConfigError listing every problem. */
export function parseAppConfig(read: ContextReader): ParsedAppConfig {
  const c = new ContextReading(read);
  const warnings: string[] = [];
  const profile = c.field('profile');

  const sticky = c.field('sticky');
  const stickyDurationSeconds = c.field('stickyDurationSeconds');
  const stickyCookieName = c.text('stickyCookieName');
  if (sticky === 'app') {
    checkStickyCookieName(c, stickyCookieName);
  } else if (stickyCookieName !== undefined) {
    warnings.push(`stickyCookieName=${stickyCookieName} is ignored because sticky=${sticky} (it applies only to sticky=app)`);
  }

  const sessionStore = c.field('sessionStore');
  if (sessionStore === 'memory' && sticky === 'off') {
    warnings.push(
      'sessionStore=memory with sticky=off: each request may reach another instance, so sessions will be lost between instances. Use -c sticky=lb (or app), or sessionStore=redis/cookie.',
    );
  }

  const readReplicas = c.field('readReplicas');
  const dbReplication = c.field('dbReplication');

  const primaryRegion = c.fieldOr('primaryRegion', undefined, read('primaryRegion'));
  const replicaRegions = readRegionList(c, primaryRegion);
  const globalConsistency = c.field('globalConsistency');
  const witnessRegion = c.fieldOr('witnessRegion', undefined, read('witnessRegion'));
  checkWitness(c, witnessRegion, globalConsistency === 'strong', [primaryRegion, ...replicaRegions]);
  const regionsValid = replicaRegions.length > 0 && replicaRegions.every(isRegion);
  if (globalConsistency === 'strong' && primaryRegion !== undefined && regionsValid) {
    checkStrongConsistency(c, primaryRegion, replicaRegions, witnessRegion);
  }

  const dbInstanceClass = c.fieldOr('dbInstanceClass', c.text('dbInstanceClass') ?? '', read('dbInstanceClass'));
  const cacheNodeType = c.fieldOr('cacheNodeType', c.text('cacheNodeType') ?? '', read('cacheNodeType'));
  const cacheReplicas = c.field('cacheReplicas');
  const natGateways = c.field('natGateways');
  const zonesText = c.text('availabilityZones');
  const availabilityZones = primaryRegion === undefined ? undefined : zonePlacement(primaryRegion, zonesText);
  if (primaryRegion !== undefined && availabilityZones === undefined) {
    c.add('availabilityZones', read('availabilityZones'), allowedZones(primaryRegion));
  }
  for (const [key, allowed] of Object.entries(REMOVED_CONTEXT_KEYS) as Array<[RemovedContextKey, string]>) {
    if (read(key) !== undefined) c.add(key, read(key), allowed);
  }
  const fargateMinTasks = c.field('fargateMinTasks');
  const fargateMaxTasks = c.field('fargateMaxTasks');
  if (fargateMinTasks > fargateMaxTasks) {
    c.add('fargateMinTasks', read('fargateMinTasks') ?? fargateMinTasks, `at most fargateMaxTasks (${fargateMaxTasks})`);
  }
  const targetRequestsPerTask = c.field('targetRequestsPerTask');
  const lambdaConcurrency = c.field('lambdaConcurrency');
  const dbProxy = c.field('dbProxy');
  // A refused address is still "set" for the rules below: only its own problem is reported.
  const alarmEmail = c.text('alarmEmail');
  c.fieldOr('alarmEmail', alarmEmail, alarmEmail);
  const budgetMonthlyUsd = readBudget(c, alarmEmail);
  const lambdaMemoryMb = c.field('lambdaMemoryMb');
  const interfaceEndpoints = c.field('interfaceEndpoints');
  const edge = c.field('edge');
  const certificateArn = c.text('certificateArn');
  const certificateValid = c.fieldOr('certificateArn', null, certificateArn) !== null;
  if (certificateValid && certificateArn !== undefined && edge === 'cloudfront') {
    // The internal ALB behind a VPC origin has no name a certificate could match; CloudFront's
    // default certificate already serves HTTPS to clients.
    c.add('certificateArn', certificateArn, 'unset with edge=cloudfront (the distribution serves HTTPS with its default certificate); use -c edge=none to put a certificate on the ALB');
  }
  if (edge === 'none' && certificateArn === undefined) {
    warnings.push(
      'edge=none without certificateArn: the ALB serves plain HTTP, so browsers drop Secure cookies and sessions travel in clear text. Use the default edge=cloudfront, or give -c certificateArn=... for HTTPS on the ALB.',
    );
  }
  const waf = c.field('waf');
  const wafRateLimit = c.field('wafRateLimit');
  const edgeLogRetentionDays = Number(c.field('edgeLogRetentionDays'));
  if (!waf) {
    warnings.push('waf=false: no web ACL, so nothing rate-limits or filters requests before they reach the compute tiers.');
  }
  const removalPolicy = c.field('removalPolicy');
  const account = c.text('account');
  c.fieldOr('account', account, account);

  c.problems.throwIfAny((problems) => new AppConfigError(problems));
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
