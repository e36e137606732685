/**
 * Open-loop load: requests are sent at an offered rate whatever the answers take, as independent
 * users arrive, so an overloaded service builds a queue instead of slowing its clients down (the
 * closed loop of load.ts would hide a load step). The rate may change over time.
 */
import { performance } from 'node:perf_hooks';
import { sleep } from '../harness/ports';
import type { TimedRequest } from './autoscale-figures';

export interface OpenLoopOptions {
  readonly durationMs: number;
  /** Offered requests per second at `elapsedMs` into the run. */
  readonly rateAt: (elapsedMs: number) => number;
  /** One request; resolves true when it was served, false or a rejection when it failed. */
  readonly request: () => Promise<boolean>;
  /** How often arrivals are scheduled. @default 10 */
  readonly tickMs?: number;
  /** `performance.now()` of the run's start, to share a clock with a controller. @default - now */
  readonly startedAt?: number;
}

/** Sends requests at the offered rate for `durationMs`, then waits for the last answers. */
export async function runOpenLoop(options: OpenLoopOptions): Promise<TimedRequest[]> {
  const started = options.startedAt ?? performance.now();
  const tickMs = options.tickMs ?? 10;
  const requests: TimedRequest[] = [];
  const inFlight = new Set<Promise<void>>();
  let due = 0;
  let last = performance.now();
  const send = (): void => {
    const t0 = performance.now();
    const done = options
      .request()
      .catch(() => false)
      .then((ok) => {
        requests.push({ startedMs: t0 - started, ms: performance.now() - t0, ok });
        inFlight.delete(done);
      });
    inFlight.add(done);
  };
  for (;;) {
    const now = performance.now();
    if (now - started >= options.durationMs) break;
    due += (options.rateAt(now - started) * (now - last)) / 1000;
    last = now;
    for (; due >= 1; due -= 1) send();
    await sleep(tickMs);
  }
  await Promise.all(inFlight);
  return requests.sort((a, b) => a.startedMs - b.startedMs);
}
