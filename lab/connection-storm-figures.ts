/**
 * Figures and verdict of the `connection-storm` experiment, kept apart from the engines so that
 * they can be tested: what each run (direct, pooled) served and failed, how many server
 * connections it held, and whether the claim held.
 */
import { summarize, type LatencySummary } from '../toolkit';

/** One invocation of one simulated environment. */
export interface Invocation {
  readonly environment: number;
  /** Milliseconds since the run started. */
  readonly startedMs: number;
  readonly ms: number;
  /** It had to open a connection first (a new environment, or one whose last connect failed). */
  readonly cold: boolean;
  /** Kind of failure (see `failureKind`), absent when it was served. */
  readonly failure?: string;
}

/** One sample of the server's connections held by the application role. */
export interface ConnectionSample {
  readonly atMs: number;
  readonly connections: number;
}

export interface StormRunSummary {
  readonly requests: number;
  readonly served: number;
  readonly failed: number;
  /** failed / requests, rounded to 0.001. */
  readonly failedShare: number;
  /** Failures by kind, e.g. `{ 'too many clients': 812 }`. */
  readonly failures: Readonly<Record<string, number>>;
  /** Environments that were answered at least once, of those that sent anything. */
  readonly environmentsServed: number;
  readonly environments: number;
  readonly serverConnections: { readonly max: number; readonly mean: number };
  /** Latency of every served request (a cold one includes its connect and login). */
  readonly latencyMs: LatencySummary;
  /** Latency of the served requests on an open connection: the query path alone. */
  readonly warmLatencyMs: LatencySummary;
}

/**
 * The kind of a failed database call: `too many clients` (SQLSTATE 53300, also raised when only
 * the superuser-reserved slots are left), `refused`, `timeout`, or the message itself (trimmed).
 */
export function failureKind(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (code === '53300' || /too many clients|connection slots are reserved/i.test(text)) return 'too many clients';
  if (code === 'ECONNREFUSED') return 'refused';
  if (/timeout|timed out/i.test(text)) return 'timeout';
  return text.slice(0, 80);
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Summarizes one run. */
export function summarizeStormRun(invocations: readonly Invocation[], samples: readonly ConnectionSample[]): StormRunSummary {
  const failures: Record<string, number> = {};
  const answered = new Set<number>();
  const seen = new Set<number>();
  const latencies: number[] = [];
  const warm: number[] = [];
  for (const call of invocations) {
    seen.add(call.environment);
    if (call.failure === undefined) {
      answered.add(call.environment);
      latencies.push(call.ms);
      if (!call.cold) warm.push(call.ms);
    } else {
      failures[call.failure] = (failures[call.failure] ?? 0) + 1;
    }
  }
  const failed = invocations.length - latencies.length;
  const counts = samples.map((s) => s.connections);
  return {
    requests: invocations.length,
    served: latencies.length,
    failed,
    failedShare: invocations.length === 0 ? 0 : round(failed / invocations.length, 3),
    failures,
    environmentsServed: answered.size,
    environments: seen.size,
    serverConnections: {
      max: counts.length === 0 ? 0 : Math.max(...counts),
      mean: counts.length === 0 ? 0 : round(counts.reduce((sum, n) => sum + n, 0) / counts.length, 1),
    },
    latencyMs: summarize(latencies),
    warmLatencyMs: summarize(warm),
  };
}

/** Direct connections must fail at least this share of requests for the claim's first half. */
export const MIN_DIRECT_FAILED_SHARE = 0.2;

export interface StormVerdict {
  readonly holds: boolean;
  readonly reasons: readonly string[];
}

/**
 * Holds when the direct run failed a clear share of its requests (at least MIN_DIRECT_FAILED_SHARE;
 * the experiment sizes it for about twice that), and the pooled run served every request and every
 * environment while the server saw at most `poolSize` connections.
 *
 * @example
 * judgeConnectionStorm(direct, pooled, 10); // { holds: true, reasons: [] }
 */
export function judgeConnectionStorm(direct: StormRunSummary, pooled: StormRunSummary, poolSize: number): StormVerdict {
  const reasons: string[] = [];
  if (direct.requests === 0 || pooled.requests === 0) reasons.push('a run sent no request');
  if (direct.failedShare < MIN_DIRECT_FAILED_SHARE) reasons.push(`direct: ${direct.failedShare} of requests failed, expected >= ${MIN_DIRECT_FAILED_SHARE}`);
  if (pooled.failed > 0) reasons.push(`pooled: ${pooled.failed} requests failed, expected 0`);
  if (pooled.environmentsServed < pooled.environments) reasons.push(`pooled: ${pooled.environmentsServed} of ${pooled.environments} environments served`);
  if (pooled.serverConnections.max > poolSize) reasons.push(`pooled: ${pooled.serverConnections.max} server connections, pool size ${poolSize}`);
  return { holds: reasons.length === 0, reasons };
}
