/**
 * A request of known cost, for the reverse-proxy-scale-out experiment: `ioMs` of waiting (a downstream call) and
 * `cpuMs` of computation. Bounded, so that the route cannot be used to tie an instance up.
 */
import { createHash } from 'node:crypto';
import { realSleep, type Clock, type Sleep } from './clock';
import { InvalidInputError } from './errors';

export const MAX_IO_MS = 1000;
export const MAX_CPU_MS = 100;

export interface WorkRequest {
  readonly ioMs: number;
  readonly cpuMs: number;
}

export interface WorkResult extends WorkRequest {
  readonly tookMs: number;
}

export async function doWork(request: WorkRequest, clock: Clock, sleep: Sleep = realSleep): Promise<WorkResult> {
  const { ioMs, cpuMs } = request;
  if (!Number.isInteger(ioMs) || ioMs < 0 || ioMs > MAX_IO_MS) {
    throw new InvalidInputError(`ioMs must be an integer from 0 to ${MAX_IO_MS}, got ${ioMs}`);
  }
  if (!Number.isInteger(cpuMs) || cpuMs < 0 || cpuMs > MAX_CPU_MS) {
    throw new InvalidInputError(`cpuMs must be an integer from 0 to ${MAX_CPU_MS}, got ${cpuMs}`);
  }
  const started = clock.now();
  let digest = Buffer.alloc(32);
  while (clock.now() - started < cpuMs) digest = createHash('sha256').update(digest).digest();
  if (ioMs > 0) await sleep(ioMs);
  return { ioMs, cpuMs, tookMs: clock.now() - started };
}
