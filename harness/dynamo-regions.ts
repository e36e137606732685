/**
 * LAB COMPONENT (never deployed): one in-memory dynalite process per "region", each on its own
 * free port on 127.0.0.1. dynalite does not replicate; put the global-table replicator in front
 * of these endpoints to get a multi-region global table.
 */
import * as path from 'node:path';
import { freePort, waitForPort } from './ports';
import { type ManagedProcess, startFailure, startProcess } from './processes';

export interface DynamoRegionsOptions {
  /** How long to wait for each dynalite to accept connections. @default 15000 */
  readonly startTimeoutMs?: number;
}

export interface DynamoRegions {
  /** `http://127.0.0.1:<port>` of each region's dynalite. */
  readonly endpoints: Readonly<Record<string, string>>;
  readonly processes: Readonly<Record<string, ManagedProcess>>;
  /** Stops one region's dynalite (an outage of that region's DynamoDB). */
  stopRegion(region: string): Promise<void>;
  /** Stops every dynalite this call started. */
  stop(): Promise<void>;
}

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** Tables go ACTIVE at once instead of spending 500 ms in CREATING / DELETING / UPDATING. */
const INSTANT_TABLE_STATES = ['--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0'];

/** Path of dynalite's CLI script, run with this Node binary. */
export function dynaliteCli(): string {
  return path.join(path.dirname(require.resolve('dynalite/package.json')), 'cli.js');
}

/**
 * Starts one dynalite per region (in parallel), in memory, with tables created ACTIVE at once.
 *
 * @example
 * const regions = await startDynamoRegions(['us-east-1', 'us-west-2']);
 * try { ... regions.endpoints['us-east-1'] ... } finally { await regions.stop(); }
 */
export async function startDynamoRegions(
  regions: readonly string[],
  options: DynamoRegionsOptions = {},
): Promise<DynamoRegions> {
  const bad = regions.filter((region) => !REGION_NAME.test(region));
  if (regions.length === 0 || bad.length > 0 || new Set(regions).size !== regions.length) {
    const given = JSON.stringify(regions);
    throw new Error(`startDynamoRegions: expected distinct region names such as us-east-1, got ${given}`);
  }
  const timeoutMs = options.startTimeoutMs ?? 15_000;
  const processes: Record<string, ManagedProcess> = {};
  const endpoints: Record<string, string> = {};
  const stopAllStarted = async (): Promise<void> => {
    await Promise.all(Object.values(processes).map((proc) => proc.stop({ timeoutMs: 5000 })));
  };

  // Another process may take the free port before dynalite binds it: retry on a fresh port.
  const startOne = async (region: string, attemptsLeft = 3): Promise<void> => {
    const port = await freePort();
    const proc = startProcess(
      `dynalite-${region}`,
      process.execPath,
      [dynaliteCli(), '--host', '127.0.0.1', '--port', String(port), ...INSTANT_TABLE_STATES],
      { env: { PATH: process.env.PATH, NODE_ENV: 'production' } },
    );
    processes[region] = proc;
    const exitedEarly = proc.exited.then(() => {
      throw startFailure(proc, `exited before listening on port ${port}`);
    });
    exitedEarly.catch(() => undefined);
    try {
      await Promise.race([waitForPort(port, timeoutMs), exitedEarly]);
    } catch (error) {
      await proc.stop({ timeoutMs: 5000 });
      if (attemptsLeft <= 1 || !/EADDRINUSE/.test(proc.logTail())) throw error;
      return startOne(region, attemptsLeft - 1);
    }
    endpoints[region] = `http://127.0.0.1:${port}`;
  };

  try {
    await Promise.all(regions.map((region) => startOne(region)));
  } catch (error) {
    await stopAllStarted();
    throw error;
  }
  return {
    endpoints,
    processes,
    async stopRegion(region) {
      const proc = processes[region];
      if (proc === undefined) throw new Error(`stopRegion: unknown region ${region}`);
      await proc.stop({ timeoutMs: 5000 });
    },
    stop: stopAllStarted,
  };
}
