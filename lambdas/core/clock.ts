/**
 * The time ports of the core and their real implementations (`node:timers/promises`: a timer that
 * can also be left unreferenced).
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Time source port, so that TTLs, lag and last-writer-wins stamps are testable without sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Waiting port, injected beside the Clock so that tests advance time instead of sleeping. */
export type Sleep = (ms: number) => Promise<void>;

/** Waits on a real timer. */
export const realSleep: Sleep = (ms) => sleep(ms);

/** A real timer that does not keep the process alive: for a budget raced against the work it bounds. */
export const detachedSleep: Sleep = (ms) => sleep(ms, undefined, { ref: false });

/** A clock that only moves when told to; for unit tests. */
export class ManualClock implements Clock {
  constructor(private current = 1_700_000_000_000) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
