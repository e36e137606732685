/**
 * Application metrics as CloudWatch EMF through Powertools Metrics: a route counts what happened
 * (`countMetric`), and the app publishes once per request (`publishRequestMetrics`, called by
 * `createPatternApp`), on both hosts: Lambda and the ECS awslogs driver both ship stdout to
 * CloudWatch Logs, which extracts the EMF lines. POWERTOOLS_METRICS_DISABLED silences them (tests,
 * the lab's local instances when they want quiet logs).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { PATTERN_METRICS_NAMESPACE, PATTERN_METRICS_SERVICE, type PatternMetricName } from './metric-names';

export const metrics = new Metrics({ namespace: PATTERN_METRICS_NAMESPACE, serviceName: PATTERN_METRICS_SERVICE });

/**
 * What was counted since the last publication, summed per name. A route's count is a Map update;
 * Powertools sees one value per name per publication. Handing it every single count cost about a
 * twentieth of a cache hit's CPU on the container (it reads its environment on each `addMetric`),
 * and the dashboards plot the Sum, which is the same either way.
 */
const pending = new Map<PatternMetricName, number>();

/** Counts one occurrence (or `count`) of a pattern event, published with this request. */
export function countMetric(name: PatternMetricName, count = 1): void {
  pending.set(name, (pending.get(name) ?? 0) + count);
}

/**
 * Writes what was counted since the last publication (nothing, and no Powertools warning, when
 * nothing was). In the container, concurrent requests share one store: a publication may carry
 * another request's counts too, which sums the same on the dashboard.
 */
export function publishRequestMetrics(): void {
  if (pending.size === 0) return;
  for (const [name, total] of pending) metrics.addMetric(name, MetricUnit.Count, total);
  pending.clear();
  metrics.publishStoredMetrics();
}
