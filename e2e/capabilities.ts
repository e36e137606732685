/**
 * What a target can be asked to prove. Each check declares the capabilities it needs; a target
 * reports, for every capability, whether it has it and, when not, why. A check whose needs are not
 * all met is SKIPPED with that reason: never run, never counted as passed.
 */

export const CAPABILITIES = [
  /** The container tier behind the load balancer (the ALB's default route; HAProxy in the lab). */
  'fargate',
  /** The Lambda tier behind the same load balancer, under `/lambda/...`. */
  'lambda-tier',
  /** The container tier can be seen with load-balancer stickiness on. */
  'sticky-on',
  /** The container tier can be seen with load-balancer stickiness off. */
  'sticky-off',
  /** PostgreSQL primary + read replicas (RDS, or the lab's cluster). */
  'database',
  /** Redis / Valkey for cache-aside (ElastiCache, or the lab's redis-server). */
  'cache',
  /** The global table with one multi-master writer endpoint per Region. */
  'global-table',
  /** Separate copies of the global table per Region, replicated asynchronously between them. */
  'multi-region-replication',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

export type CapabilityStatus = { readonly available: true } | { readonly available: false; readonly reason: string };

export type CapabilityReport = Readonly<Record<Capability, CapabilityStatus>>;

export const AVAILABLE: CapabilityStatus = { available: true };

export function unavailable(reason: string): CapabilityStatus {
  return { available: false, reason };
}

/**
 * A report where every capability is available except those given.
 *
 * @example
 * capabilityReport({ 'sticky-on': 'stickiness is fixed at deploy time: sticky=off' });
 */
export function capabilityReport(missing: Partial<Record<Capability, string>> = {}): CapabilityReport {
  const entries = CAPABILITIES.map((capability) => {
    const reason = missing[capability];
    return [capability, reason === undefined ? AVAILABLE : unavailable(reason)] as const;
  });
  return Object.fromEntries(entries) as Record<Capability, CapabilityStatus>;
}

/** Why `needs` cannot be met (the first missing capability, named), or undefined when all are there. */
export function missingCapability(report: CapabilityReport, needs: readonly Capability[]): string | undefined {
  for (const capability of needs) {
    const status = report[capability];
    if (!status.available) return `${capability}: ${status.reason}`;
  }
  return undefined;
}
