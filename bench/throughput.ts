/**
 * The arithmetic of the throughput benchmark: in which order servers run in a round (rotated,
 * so that none always runs first on a machine that warms up or gets busier) and the per-round
 * ratios of one server's req/s to another's. Pure functions, unit-tested in
 * `test/unit/bench-throughput.test.ts`.
 */
import { ratioAcrossRounds, runStats, type Ratio, type RunStats } from './stats';

/** The servers compared on each route. */
export const THROUGHPUT_SERVERS = ['container', 'hono', 'bare'] as const;
export type ThroughputServer = (typeof THROUGHPUT_SERVERS)[number];

/**
 * `items` rotated left by `round` (0-based): round 0 keeps the order, round 1 starts with the second...
 *
 * @example
 * rotated(['a', 'b', 'c'], 1); // ['b', 'c', 'a']
 */
export function rotated<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = ((round % items.length) + items.length) % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Requests per second of one autocannon run: completed 2xx responses over the measured seconds. */
export function requestsPerSecond(run: { readonly ok: number; readonly durationSeconds: number }): number {
  if (!(run.durationSeconds > 0)) throw new Error(`requestsPerSecond: duration must be > 0, got ${run.durationSeconds}`);
  return run.ok / run.durationSeconds;
}

export interface RouteThroughput {
  /** req/s per server, median of rounds with the spread. */
  readonly reqPerSec: Readonly<Record<ThroughputServer, RunStats>>;
  /** Container over minimal Hono, per round (the target), and over the bare handler (the limit). */
  readonly containerVsHono: Ratio;
  readonly containerVsBare: Ratio;
  readonly honoVsBare: Ratio;
}

/**
 * Summarizes the rounds of one route: each round is one req/s per server, measured seconds apart.
 *
 * @example
 * routeThroughput([{ container: 8, hono: 10, bare: 12 }], 0.8).containerVsHono; // { value: 0.8, target: 0.8, atLeast: true, meetsTarget: true, ... }
 */
export function routeThroughput(rounds: ReadonlyArray<Readonly<Record<ThroughputServer, number>>>, target: number): RouteThroughput {
  if (rounds.length === 0) throw new Error('routeThroughput needs at least one round');
  const of = (server: ThroughputServer) => runStats(rounds.map((r) => r[server]));
  const per = (a: ThroughputServer, b: ThroughputServer) => rounds.map((r) => {
    if (!(r[b] > 0)) throw new Error(`routeThroughput: ${b} served nothing in a round`);
    return r[a] / r[b];
  });
  return {
    reqPerSec: { container: of('container'), hono: of('hono'), bare: of('bare') },
    containerVsHono: ratioAcrossRounds(per('container', 'hono'), target, 'at-least'),
    containerVsBare: ratioAcrossRounds(per('container', 'bare')),
    honoVsBare: ratioAcrossRounds(per('hono', 'bare')),
  };
}
