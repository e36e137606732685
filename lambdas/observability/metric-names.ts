/**
 * The application metrics both hosts emit as CloudWatch EMF (see `pattern-metrics.ts`) and the
 * dashboards plot (`lib/observability/pattern-dashboards.ts`): what CloudWatch cannot see by
 * itself. Plain constants, so the CDK app imports them without pulling Powertools.
 */
export const PATTERN_METRICS_NAMESPACE = 'ScalabilityPatterns';
/** Powertools adds `service` as the one default dimension; a dashboard metric must name it too. */
export const PATTERN_METRICS_SERVICE = 'scalability-patterns';

export const PATTERN_METRICS = {
  cacheHit: 'CacheHit',
  cacheMiss: 'CacheMiss',
  /** The cache was down and the database answered alone. */
  cacheBypass: 'CacheBypass',
  /** A read-your-writes read served by a replica that had replayed the write. */
  readYourWritesCaughtUp: 'ReadYourWritesCaughtUp',
  /** No replica caught up within the wait: the primary answered. */
  readYourWritesFallback: 'ReadYourWritesFallback',
  /** Neither a caught-up replica nor the primary: a replica answered, possibly without the write. */
  readYourWritesUnverified: 'ReadYourWritesUnverified',
  sessionCreated: 'SessionCreated',
  /** A request carried a session cookie whose session this store no longer has. */
  sessionLost: 'SessionLost',
  /** A region found that its last write was overwritten by another region's (last writer wins). */
  conflictDetected: 'ConflictDetected',
  counterIncrement: 'CounterIncrement',
} as const;

export type PatternMetricName = (typeof PATTERN_METRICS)[keyof typeof PATTERN_METRICS];
