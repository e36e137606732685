/**
 * The configuration vocabulary shared by the infrastructure (`lib/`, CDK context) and the runtime
 * (`lambdas/`, environment variables; the harness and the playground too): every value set both
 * sides accept, every rule both check, and the one format of a configuration problem. It imports
 * nothing, so `lib/` and `lambdas/` both load it without pulling CDK into the runtime or the
 * runtime into CDK.
 *
 * @example
 * if (!SESSION_STORES.includes(value)) problems.push(configProblem('sessionStore', value, SESSION_STORES.join(', ')));
 */

/** Where a user's session lives: `redis` (shared store), `memory` (one instance), `cookie` (signed, client-side). */
export const SESSION_STORES = ['redis', 'memory', 'cookie'] as const;
export type SessionStoreKind = (typeof SESSION_STORES)[number];
/** The default everywhere (CDK context, environment, playground): the one that loses no session. */
export const DEFAULT_SESSION_STORE: SessionStoreKind = 'redis';

/** DynamoDB global table consistency across Regions: `eventual` (MREC) or `strong` (MRSC). */
export const GLOBAL_CONSISTENCIES = ['eventual', 'strong'] as const;
export type GlobalConsistency = (typeof GLOBAL_CONSISTENCIES)[number];
export const DEFAULT_GLOBAL_CONSISTENCY: GlobalConsistency = 'eventual';

/** Consistency of one read: `eventual` (a replica may lag) or `strong` (read-your-writes). */
export const READ_CONSISTENCIES = ['eventual', 'strong'] as const;
export type ReadConsistency = (typeof READ_CONSISTENCIES)[number];

/** ALB target-group stickiness: `off`, `lb` (the ALB's own cookie) or `app` (keyed on the app's cookie). */
export const STICKY_MODES = ['off', 'lb', 'app'] as const;
export type StickyMode = (typeof STICKY_MODES)[number];
/** A stickiness that is on: the two kinds of cookie the ALB can key on. */
export type StickinessKind = Exclude<StickyMode, 'off'>;

/** RDS replication to the standby: `async` (read replicas only) or `sync` (Multi-AZ standby). */
export const DB_REPLICATION_MODES = ['async', 'sync'] as const;
export type DbReplication = (typeof DB_REPLICATION_MODES)[number];

/** The two compute tiers behind the load balancer, in the order the playground and e2e list them. */
export const COMPUTE_TIERS = ['fargate', 'lambda'] as const;
export type ComputeTier = (typeof COMPUTE_TIERS)[number];
/** What a process says it is (`PATTERN_TIER`): a compute tier, or `local` for a plain local run. */
export const PROCESS_TIERS = ['lambda', 'fargate', 'local'] as const satisfies readonly (ComputeTier | 'local')[];
export type ProcessTier = (typeof PROCESS_TIERS)[number];

/** A cookie name is an RFC 6265 token; 64 characters is our own bound. */
const COOKIE_TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,64}$/;
/** What `isCookieName` allows, as the problem messages say it. */
export const COOKIE_NAME_RULE = "1-64 cookie token characters (letters, digits, !#$%&'*+-.^_`|~)";

export function isCookieName(name: string): boolean {
  return COOKIE_TOKEN.test(name);
}

/**
 * The one format of a configuration problem, for CDK context keys and environment variables
 * alike: what was given and what is allowed.
 *
 * @example
 * configProblem('DB_POOL_MAX', '0', 'an integer from 1 to 100'); // 'DB_POOL_MAX: got "0"; allowed: an integer from 1 to 100'
 */
export function configProblem(key: string, got: unknown, allowed: string): string {
  return `${key}: got ${JSON.stringify(got)}; allowed: ${allowed}`;
}
