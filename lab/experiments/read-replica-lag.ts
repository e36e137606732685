/**
 * read-replica-lag: a read sent to an asynchronous replica right after a write often misses it; the
 * `rw_lsn` cookie (read-your-writes) sends the writer's read to a replica that has replayed its
 * write, or to the primary. Replay on both replicas is delayed (recovery_min_apply_delay) so that
 * the lag is large and steady rather than a race against a loopback replica.
 */
import { ENV } from '../../lambdas/config/env-names';
import { sleep, startAppInstances, startPostgresCluster } from '../../harness';
import type { Experiment, ExperimentContext, ExperimentResult } from '../experiment';
import { HttpClient, runLoad, summarize } from '../../toolkit';
import {
  countBy, isStaleRead, lagSamplesOf, lagStats, type LagReportBody, type LagSample, type ReadAfterWrite,
} from '../read-replica-lag-figures';

interface Sizes {
  readonly replayDelayMs: number;
  /** Write-then-read cycles per phase. */
  readonly cycles: number;
  readonly concurrency: number;
}

const QUICK: Sizes = { replayDelayMs: 400, cycles: 24, concurrency: 3 };
const FULL: Sizes = { replayDelayMs: 1000, cycles: 90, concurrency: 3 };
/** How long a read-your-writes read waits for a replica to replay the write before using the primary. */
const READ_YOUR_WRITES_WAIT_MS = 250;
const LAG_SAMPLE_INTERVAL_MS = 100;

interface NoteBody {
  readonly id?: string;
  readonly note?: { readonly text?: string };
  readonly servedBy?: string;
  readonly reason?: string;
}

/** POST /notes, then at once GET /notes/:id with the cookies `client` then holds. */
async function writeThenRead(client: HttpClient, text: string, dropCookies: boolean): Promise<ReadAfterWrite> {
  const written = await client.request<NoteBody>('POST', '/notes', { text });
  if (written.status !== 201 || written.body.id === undefined) throw new Error(`POST /notes answered ${written.status}`);
  if (dropCookies) client.forgetCookies();
  const read = await client.get<NoteBody>(`/notes/${written.body.id}`);
  return {
    status: read.status,
    servedBy: read.body?.servedBy ?? 'unknown',
    reason: read.body?.reason ?? 'unknown',
    text: read.body?.note?.text,
    written: text,
    ms: read.ms,
  };
}

/** Polls GET /replication/lag until stopped; never throws (a failed probe is just no sample). */
function sampleLag(baseUrl: string): { stop(): Promise<LagSample[]> } {
  const client = new HttpClient(baseUrl, 2000);
  const samples: LagSample[] = [];
  const started = performance.now();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const response = await client.get<LagReportBody>('/replication/lag').catch(() => undefined);
      if (response?.status === 200) samples.push(...lagSamplesOf(response.body, Math.round(performance.now() - started)));
      await sleep(LAG_SAMPLE_INTERVAL_MS);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return samples;
    },
  };
}

export const readReplicaLagExperiment: Experiment = {
  id: 'read-replica-lag',
  title: 'Replica lag: stale reads, and read-your-writes',
  claim: 'Asynchronous replicas serve stale data right after a write; read-your-writes gives the writer its own write.',
  async run(ctx: ExperimentContext): Promise<ExperimentResult> {
    const sizes = ctx.quick ? QUICK : FULL;
    ctx.progress('starting PostgreSQL primary + 2 replicas and one app instance');
    const cluster = await startPostgresCluster({ replicas: 2 });
    ctx.defer(() => cluster.stop());
    const [app] = await startAppInstances({
      count: 1,
      namePrefix: 'read-replica-lag',
      env: { ...cluster.appEnv(), [ENV.dbReadYourWritesWaitMs]: String(READ_YOUR_WRITES_WAIT_MS) },
    });
    ctx.defer(() => app.stop());
    // The first write applies the migrations; the replicas get the table before replay is delayed.
    await writeThenRead(new HttpClient(app.url), 'warm-up', true);
    await cluster.waitForReplicaCatchUp(15_000);
    ctx.progress(`delaying replay on both replicas by ${sizes.replayDelayMs} ms`);
    await cluster.setReplayDelay(sizes.replayDelayMs);

    const sampler = sampleLag(app.url);
    const phase = async (withReadYourWrites: boolean): Promise<ReadAfterWrite[]> => {
      const reads: ReadAfterWrite[] = [];
      const clients = Array.from({ length: sizes.concurrency }, () => new HttpClient(app.url));
      const load = await runLoad({
        concurrency: sizes.concurrency,
        requests: sizes.cycles,
        request: async (worker, sequence) => {
          // Without read-your-writes every cycle is a fresh visitor: no rw_lsn cookie on the read.
          const client = withReadYourWrites ? clients[worker] : new HttpClient(app.url);
          const text = `${withReadYourWrites ? 'ryw' : 'plain'}-${sequence}`;
          reads.push(await writeThenRead(client, text, !withReadYourWrites));
        },
      });
      if (load.failed > 0) throw new Error(`write-then-read cycles failed: ${JSON.stringify(load.errors)}`);
      return reads;
    };
    ctx.progress(`${sizes.cycles} write-then-read cycles without the rw_lsn cookie`);
    const plain = await phase(false);
    ctx.progress(`${sizes.cycles} write-then-read cycles with the rw_lsn cookie (read-your-writes)`);
    const ryw = await phase(true);
    const samples = await sampler.stop();

    const staleReads = { withoutReadYourWrites: plain.filter(isStaleRead).length, withReadYourWrites: ryw.filter(isStaleRead).length };
    const freshWithReadYourWrites = ryw.filter((r) => r.status === 200 && r.text === r.written).length;
    const latency = { withoutReadYourWrites: summarize(plain.map((r) => r.ms)), withReadYourWrites: summarize(ryw.map((r) => r.ms)) };
    const lag = lagStats(samples);
    const costMs = Math.round((latency.withReadYourWrites.p50 - latency.withoutReadYourWrites.p50) * 100) / 100;
    const holds = staleReads.withoutReadYourWrites >= 1 && staleReads.withReadYourWrites === 0 && freshWithReadYourWrites === sizes.cycles;

    const replicaNames = [...new Set(samples.map((s) => s.replica))].sort();
    return {
      figures: {
        staleReads,
        readYourWritesCostMsP50: costMs,
        readLatencyMs: {
          withoutReadYourWrites: { p50: latency.withoutReadYourWrites.p50, p99: latency.withoutReadYourWrites.p99 },
          withReadYourWrites: { p50: latency.withReadYourWrites.p50, p99: latency.withReadYourWrites.p99 },
        },
        servedBy: { withoutReadYourWrites: countBy(plain, (r) => r.servedBy), withReadYourWrites: countBy(ryw, (r) => r.servedBy) },
        readReasons: { withoutReadYourWrites: countBy(plain, (r) => r.reason), withReadYourWrites: countBy(ryw, (r) => r.reason) },
        replicaLag: { ...lag },
        replayDelayMs: sizes.replayDelayMs,
        cyclesPerPhase: sizes.cycles,
      },
      holds,
      details:
        `PostgreSQL primary + 2 streaming replicas with replay delayed by ${sizes.replayDelayMs} ms, one app instance; ` +
        `${sizes.cycles} write-then-immediately-read cycles (${sizes.concurrency} at a time) per phase. Without the rw_lsn ` +
        `cookie ${staleReads.withoutReadYourWrites}/${sizes.cycles} reads were stale (a replica answered 404 for the note just ` +
        `written); with it ${staleReads.withReadYourWrites}/${sizes.cycles} were (${freshWithReadYourWrites} returned the write), ` +
        `at a read cost of ${costMs} ms at p50: the router waits up to ${READ_YOUR_WRITES_WAIT_MS} ms for a replica to replay ` +
        `the write, then reads the primary. GET /replication/lag sampled every ${LAG_SAMPLE_INTERVAL_MS} ms: lag up to ` +
        `${lag.maxBytes} bytes of WAL (median ${lag.medianBytes}) and ${lag.maxMs} ms (median ${lag.medianMs}).`,
      charts: [
        {
          id: 'stale-reads',
          title: `Stale reads right after a write (${sizes.cycles} per phase)`,
          kind: 'bar',
          unit: 'reads',
          xLabel: 'client',
          series: [
            {
              name: 'stale',
              points: [
                { x: 'without read-your-writes', y: staleReads.withoutReadYourWrites },
                { x: 'with read-your-writes', y: staleReads.withReadYourWrites },
              ],
            },
          ],
        },
        {
          id: 'lag-over-time',
          title: 'Replica lag reported by GET /replication/lag',
          kind: 'line',
          unit: 'ms',
          xLabel: 'ms since the cycles started',
          series: replicaNames.map((name) => ({
            name,
            points: samples.filter((s) => s.replica === name).map((s) => ({ x: s.atMs, y: s.lagMs })),
          })),
        },
      ],
    };
  },
};
