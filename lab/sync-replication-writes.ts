/**
 * Commits for the replication experiments (`sync-replication`, `failover-loss`): single-row INSERTs
 * straight through `pg` (no HTTP in the way, so a latency is the commit itself), each one bounded
 * on the client side. A commit waiting for a synchronous standby that never answers ignores
 * `statement_timeout`, so only the client can give up on it: it then counts as `blocked`
 * (never acknowledged), and its connection stays stuck until replication is released or the
 * primary dies.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { sleep, type PostgresCluster } from '../harness';
import { detachedSleep } from '../lambdas/core/clock';

/** The table every write of these experiments goes to; ids are chosen by the writer. */
export const WRITES_TABLE = 'lab_writes';

export type CommitOutcome = 'acknowledged' | 'blocked' | 'failed';

/** Creates the writes table on the primary and waits until every running replica has it. */
export async function createWritesTable(cluster: PostgresCluster): Promise<void> {
  await cluster.query(`CREATE TABLE IF NOT EXISTS ${WRITES_TABLE} (id bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())`);
  await cluster.waitForReplicaCatchUp(15_000);
}

/**
 * One connection to the primary that commits one row at a time, giving up on a commit after
 * `timeoutMs`. After a give-up the connection is stuck (its backend still waits), so it refuses
 * further commits; `close()` waits (bounded) for the stuck commit to end before closing.
 *
 * @example
 * const writer = await BoundedWriter.open(cluster.connectionString(cluster.primary), 500);
 * await writer.commit(1); // 'acknowledged', or 'blocked' when no standby confirms within 500 ms
 * await writer.close();
 */
export class BoundedWriter {
  private pending: Promise<unknown> | undefined;

  private constructor(
    private readonly client: Client,
    private readonly timeoutMs: number,
  ) {}

  static async open(connectionString: string, timeoutMs: number): Promise<BoundedWriter> {
    const client = new Client({ connectionString, connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined); // a primary killed under us must not crash the lab
    await client.connect();
    return new BoundedWriter(client, timeoutMs);
  }

  /** True once a commit was given up on: the backend behind this connection is still waiting. */
  get stuck(): boolean {
    return this.pending !== undefined;
  }

  /** Inserts row `id` in its own transaction (autocommit); never throws. */
  async commit(id: number): Promise<{ readonly outcome: CommitOutcome; readonly ms: number }> {
    if (this.stuck) return { outcome: 'failed', ms: 0 };
    const t0 = performance.now();
    const query = this.client.query(`INSERT INTO ${WRITES_TABLE} (id) VALUES ($1)`, [id]);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'blocked'>((resolve) => {
      timer = setTimeout(() => resolve('blocked'), this.timeoutMs);
    });
    try {
      const outcome = await Promise.race([query.then(() => 'acknowledged' as const), expired]);
      if (outcome === 'blocked') this.pending = query.catch(() => undefined);
      return { outcome, ms: performance.now() - t0 };
    } catch {
      return { outcome: 'failed', ms: performance.now() - t0 };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits up to `waitMs` for a stuck commit to end (released or its server gone), then closes. */
  async close(waitMs = 5000): Promise<void> {
    if (this.pending !== undefined) {
      // Unreferenced: a commit that ends first leaves no timer holding the process.
      await Promise.race([this.pending, detachedSleep(waitMs)]);
    }
    // end() waits for the server to close the socket, which a still-waiting backend never does.
    await Promise.race([this.client.end().catch(() => undefined), detachedSleep(1000)]);
  }
}

/**
 * Commits `ids` one after another on one connection and returns each commit's latency in ms
 * (the INSERT round trip in autocommit: WAL flush, plus the standby's confirmation when sync).
 */
export async function timeCommits(connectionString: string, ids: readonly number[]): Promise<number[]> {
  const writer = await BoundedWriter.open(connectionString, 10_000);
  try {
    const latencies: number[] = [];
    for (const id of ids) {
      const { outcome, ms } = await writer.commit(id);
      if (outcome !== 'acknowledged') throw new Error(`commit of row ${id} was ${outcome} while timing commits`);
      latencies.push(ms);
    }
    return latencies;
  } finally {
    await writer.close();
  }
}

export interface BoundedCommitAttempts {
  readonly acknowledged: readonly number[];
  readonly blocked: readonly number[];
  readonly failed: readonly number[];
  /** Closes every connection, waiting (bounded) for stuck commits: release replication first. */
  close(): Promise<void>;
}

/** Attempts every commit at once, each on its own connection and bounded by `timeoutMs`. */
export async function attemptCommits(connectionString: string, ids: readonly number[], timeoutMs: number): Promise<BoundedCommitAttempts> {
  const writers: BoundedWriter[] = [];
  const outcomes = await Promise.all(
    ids.map(async (id) => {
      try {
        const writer = await BoundedWriter.open(connectionString, timeoutMs);
        writers.push(writer);
        return { id, outcome: (await writer.commit(id)).outcome };
      } catch {
        return { id, outcome: 'failed' as const };
      }
    }),
  );
  const pick = (kind: CommitOutcome) => outcomes.filter((o) => o.outcome === kind).map((o) => o.id);
  return {
    acknowledged: pick('acknowledged'),
    blocked: pick('blocked'),
    failed: pick('failed'),
    close: async () => {
      await Promise.all(writers.map((writer) => writer.close()));
    },
  };
}

/** The subset of `ids` present in the writes table of the current primary. */
export async function presentIds(cluster: PostgresCluster, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await cluster.query<{ id: string }>(`SELECT id::text AS id FROM ${WRITES_TABLE} WHERE id = ANY($1::bigint[])`, [ids]);
  return new Set(rows.map((row) => Number(row.id)));
}

export interface WriterTally {
  /** Ids whose commit was acknowledged to the writer, in acknowledgement order. */
  readonly acknowledged: readonly number[];
  /** Commits given up on after the client-side timeout (never acknowledged). */
  readonly blocked: number;
  /** Commits or connections that failed (e.g. the primary died under them). */
  readonly failed: number;
}

export interface ContinuousWriter {
  /** Acknowledged so far (grows while the writer runs). */
  acknowledgedCount(): number;
  /** Stops issuing commits and returns the tally once every worker has returned. */
  stop(): Promise<WriterTally>;
  /** Closes every connection, stuck ones included (bounded): release replication or kill the primary first. */
  close(): Promise<void>;
}

/**
 * `workers` loops, each committing rows one at a time on its own connection until `stop()`. A
 * commit given up on leaves its connection stuck, so the worker opens a fresh one, as an
 * application whose request timed out would; a failure makes it pause briefly and reconnect.
 *
 * @example
 * const writer = startContinuousWriter(url, { workers: 2, timeoutMs: 250 });
 * await sleep(500);
 * const { acknowledged } = await writer.stop();
 */
export function startContinuousWriter(connectionString: string, options: { readonly workers: number; readonly timeoutMs: number }): ContinuousWriter {
  const acknowledged: number[] = [];
  const opened: BoundedWriter[] = [];
  let blocked = 0;
  let failed = 0;
  let stopped = false;
  let nextId = 1;

  const work = async (): Promise<void> => {
    let writer: BoundedWriter | undefined;
    while (!stopped) {
      if (writer === undefined || writer.stuck) {
        writer = await BoundedWriter.open(connectionString, options.timeoutMs).catch(() => undefined);
        if (writer === undefined) {
          failed += 1;
          await sleep(50);
          continue;
        }
        opened.push(writer);
      }
      const id = nextId++;
      const { outcome } = await writer.commit(id);
      if (outcome === 'acknowledged') acknowledged.push(id);
      else if (outcome === 'blocked') blocked += 1;
      else {
        failed += 1;
        writer = undefined; // a failed connection is not reused
        await sleep(50);
      }
    }
  };
  const running = Promise.all(Array.from({ length: options.workers }, () => work()));
  return {
    acknowledgedCount: () => acknowledged.length,
    async stop() {
      stopped = true;
      await running;
      return { acknowledged: [...acknowledged], blocked, failed };
    },
    async close() {
      await Promise.all(opened.map((writer) => writer.close()));
    },
  };
}
