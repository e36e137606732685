/**
 * Simulated Lambda execution environments for the `connection-storm` experiment: each has its own
 * `pg` pool (as each environment of the Lambda tier does), handles one invocation at a time, keeps
 * its connections between invocations, and is recycled after a while (a new environment, a new
 * pool, new connections), so connections churn as they do under a burst. In one process: the
 * database sees the same connections as from separate processes, at a fraction of the memory.
 */
import { performance } from 'node:perf_hooks';
import { Pool, type PoolConfig } from 'pg';
import { sleep } from '../harness';
import { seededRandom } from './cache-aside-workload';
import { failureKind, type Invocation } from './connection-storm-figures';

export interface EnvironmentFleetOptions {
  readonly environments: number;
  readonly durationMs: number;
  /** Pause between two invocations of one environment (jittered by +-50%). */
  readonly thinkMs: number;
  /** An environment is recycled after a lifetime drawn from this range (ms). */
  readonly lifetimeMs: readonly [number, number];
  /** Where and how each environment's pool connects (`max` is its size). */
  readonly pool: PoolConfig;
  /** One invocation's database work. */
  readonly invoke: (pool: Pool, sequence: number) => Promise<void>;
  /** @default 1 */
  readonly seed?: number;
}

/** Runs the fleet for `durationMs` and returns every invocation, served or failed. */
export async function runEnvironmentFleet(options: EnvironmentFleetOptions): Promise<Invocation[]> {
  const random = seededRandom(options.seed ?? 1);
  const invocations: Invocation[] = [];
  const started = performance.now();
  const deadline = started + options.durationMs;
  const [shortest, longest] = options.lifetimeMs;
  let sequence = 0;

  const environment = async (id: number): Promise<void> => {
    await sleep(random() * options.thinkMs); // cold starts spread over the first think time
    while (performance.now() < deadline) {
      const pool = new Pool(options.pool);
      pool.on('error', () => undefined); // an idle connection cut by the server must not crash the host
      const retireAt = Math.min(deadline, performance.now() + shortest + random() * (longest - shortest));
      while (performance.now() < retireAt) {
        const t0 = performance.now();
        const cold = pool.totalCount === 0; // this invocation opens a connection first
        try {
          await options.invoke(pool, sequence++);
          invocations.push({ environment: id, startedMs: t0 - started, ms: performance.now() - t0, cold });
        } catch (error) {
          invocations.push({ environment: id, startedMs: t0 - started, ms: performance.now() - t0, cold, failure: failureKind(error) });
        }
        await sleep(options.thinkMs * (0.5 + random()));
      }
      await pool.end().catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: options.environments }, (_, id) => environment(id)));
  return invocations;
}
