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

/** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ, fixed at 100 for user space). */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) of a process from the text of `/proc/<pid>/stat`. The command name
 * (field 2) may hold spaces and parentheses, so fields are counted after its closing parenthesis.
 *
 * @example
 * processCpuMs('42 (node) S 1 42 42 0 -1 4194560 100 0 0 0 250 30 0 0 20 0 11 0 1 1 1'); // 2800
 */
export function processCpuMs(stat: string): number {
  const after = stat.slice(stat.lastIndexOf(')') + 2).trim().split(/\s+/);
  // after[0] is field 3 (state): utime is field 14, stime field 15.
  const [utime, stime] = [Number(after[11]), Number(after[12])];
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`processCpuMs: not a /proc/<pid>/stat line: ${JSON.stringify(stat.slice(0, 80))}`);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** One measured run of one server: its req/s, and the server process's CPU time per request (µs). */
export interface ThroughputRun {
  readonly reqPerSec: number;
  readonly cpuUsPerRequest: number;
}

export interface RouteThroughput {
  /** req/s per server, median of rounds with the spread. */
  readonly reqPerSec: Readonly<Record<ThroughputServer, RunStats>>;
  /** Server CPU time per request (µs): steadier than req/s when the machine is busy with other work. */
  readonly cpuUsPerRequest: Readonly<Record<ThroughputServer, RunStats>>;
  /** Container's CPU per request over minimal Hono's, per round (lower is better; no target). */
  readonly cpuContainerVsHono: Ratio;
  /** Container over minimal Hono, per round (the target), and over the bare handler (the limit). */
  readonly containerVsHono: Ratio;
  readonly containerVsBare: Ratio;
  readonly honoVsBare: Ratio;
}

/**
 * Summarizes the rounds of one route: each round is one req/s per server, measured seconds apart.
 *
 * @example
 * const run = (reqPerSec: number) => ({ reqPerSec, cpuUsPerRequest: 1e6 / reqPerSec });
 * routeThroughput([{ container: run(8), hono: run(10), bare: run(12) }], 0.8).containerVsHono; // { value: 0.8, target: 0.8, atLeast: true, meetsTarget: true, ... }
 */
export function routeThroughput(rounds: ReadonlyArray<Readonly<Record<ThroughputServer, ThroughputRun>>>, target: number): RouteThroughput {
  if (rounds.length === 0) throw new Error('routeThroughput needs at least one round');
  const of = (server: ThroughputServer, pick: (run: ThroughputRun) => number) => runStats(rounds.map((r) => pick(r[server])));
  const per = (a: ThroughputServer, b: ThroughputServer, pick: (run: ThroughputRun) => number = (run) => run.reqPerSec) =>
    rounds.map((r) => {
      if (!(pick(r[b]) > 0)) throw new Error(`routeThroughput: ${b} measured 0 in a round`);
      return pick(r[a]) / pick(r[b]);
    });
  const rps = (run: ThroughputRun) => run.reqPerSec;
  const cpu = (run: ThroughputRun) => run.cpuUsPerRequest;
  return {
    reqPerSec: { container: of('container', rps), hono: of('hono', rps), bare: of('bare', rps) },
    cpuUsPerRequest: { container: of('container', cpu), hono: of('hono', cpu), bare: of('bare', cpu) },
    cpuContainerVsHono: ratioAcrossRounds(per('container', 'hono', cpu)),
    containerVsHono: ratioAcrossRounds(per('container', 'hono'), target, 'at-least'),
    containerVsBare: ratioAcrossRounds(per('container', 'bare')),
    honoVsBare: ratioAcrossRounds(per('hono', 'bare')),
  };
}
