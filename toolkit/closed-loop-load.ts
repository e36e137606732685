/**
 * Closed-loop load: `concurrency` workers each send one request, wait for its answer, send the
 * next, for a duration or a number of requests. Latencies are recorded per request; failures are
 * counted by kind instead of aborting the run. Used by the lab's experiments and bench's request
 * paths; throughput against a bare server goes through autocannon instead.
 */
import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from './percentiles';

export interface LoadOptions {
  readonly concurrency: number;
  /** Stop after this long (ms), or after `requests` in total, whichever comes first. */
  readonly durationMs?: number;
  readonly requests?: number;
  /** Requests sent before measuring (not recorded), per worker. @default 0 */
  readonly warmupPerWorker?: number;
  /** One request; throw (or reject) to count a failure. `worker` is 0..concurrency-1. */
  readonly request: (worker: number, sequence: number) => Promise<void>;
}

export interface LoadResult {
  readonly completed: number;
  readonly failed: number;
  readonly elapsedMs: number;
  readonly throughputPerSec: number;
  readonly latency: LatencySummary;
  /** Failure messages (trimmed) with their counts. */
  readonly errors: Readonly<Record<string, number>>;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.durationMs === undefined && options.requests === undefined) {
    throw new Error('runLoad needs durationMs or requests');
  }
  for (let worker = 0; worker < options.concurrency; worker += 1) {
    for (let i = 0; i < (options.warmupPerWorker ?? 0); i += 1) await options.request(worker, -1 - i).catch(() => undefined);
  }
  const samples: number[] = [];
  const errors: Record<string, number> = {};
  let failed = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  const limit = options.requests ?? Infinity;

  const worker = async (id: number) => {
    while (issued < limit && performance.now() < deadline) {
      const sequence = issued;
      issued += 1;
      const t0 = performance.now();
      try {
        await options.request(id, sequence);
        samples.push(performance.now() - t0);
      } catch (error) {
        failed += 1;
        const key = (error instanceof Error ? error.message : String(error)).slice(0, 120);
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, id) => worker(id)));
  const elapsedMs = performance.now() - started;
  return {
    completed: samples.length,
    failed,
    elapsedMs: Math.round(elapsedMs),
    throughputPerSec: Math.round((samples.length / elapsedMs) * 1000 * 10) / 10,
    latency: summarize(samples),
    errors,
  };
}
