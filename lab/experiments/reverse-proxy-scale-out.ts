/**
 * reverse-proxy-scale-out: clients know one address (the load balancer); adding instances behind it raises
 * throughput without any client changing. Each instance serves one request at a time, as a Lambda
 * execution environment does: HAProxy's `maxconn 1` per server queues the rest. The request mostly
 * waits (a downstream call), so two cores are enough to show four instances working in parallel.
 * Instances are "added" by taking them out of maintenance on the one running HAProxy, as a target
 * group registers targets; the clients' address never changes.
 */
import { startAppInstances, startHaproxy, type AppInstance, type Haproxy } from '../../harness';
import type { ChartSpec, Experiment, ExperimentContext, ExperimentResult } from '../experiment';
import { HttpClient, runLoad, type LoadResult } from '../../toolkit';

interface Sizes {
  /** Measured load per instance count. */
  readonly durationMs: number;
  readonly concurrency: number;
  readonly ioMs: number;
  readonly cpuMs: number;
}

const QUICK: Sizes = { durationMs: 2500, concurrency: 8, ioMs: 100, cpuMs: 2 };
const FULL: Sizes = { durationMs: 8000, concurrency: 8, ioMs: 100, cpuMs: 2 };
const INSTANCE_COUNTS = [1, 2, 4] as const;
/** Each doubling of instances must give at least this factor: ideal is 2, one core is 1. */
export const MIN_GAIN_PER_DOUBLING = 1.6;

/** What one instance count measured. */
export interface ScaleOutStep {
  readonly instances: number;
  readonly throughputPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failed: number;
  /** Responses per instance (`x-served-by`). */
  readonly servedBy: Readonly<Record<string, number>>;
  /** Most requests any instance had at once (HAProxy `smax`): 1 = one at a time. */
  readonly maxInFlightPerInstance: number;
}

export interface ScaleOutVerdict {
  readonly holds: boolean;
  /** Throughput relative to the previous step, e.g. `{ '2': 1.98, '4': 1.97 }`. */
  readonly gains: Readonly<Record<string, number>>;
  readonly reasons: readonly string[];
}

/**
 * Decides from the figures: throughput grows by MIN_GAIN_PER_DOUBLING or more per doubling, every
 * step is served by exactly its instances, one request at a time each, and clients used one address.
 */
export function judgeScaleOut(steps: readonly ScaleOutStep[], clientAddresses: number): ScaleOutVerdict {
  const reasons: string[] = [];
  const gains: Record<string, number> = {};
  steps.forEach((step, i) => {
    const served = Object.keys(step.servedBy).length;
    if (served !== step.instances) reasons.push(`${step.instances} instance(s): ${served} served`);
    if (step.maxInFlightPerInstance > 1) reasons.push(`${step.instances} instance(s): up to ${step.maxInFlightPerInstance} requests at once on one instance`);
    if (i === 0) return;
    const previous = steps[i - 1];
    const gain = previous.throughputPerSec > 0 ? step.throughputPerSec / previous.throughputPerSec : 0;
    gains[String(step.instances)] = Math.round(gain * 100) / 100;
    const needed = MIN_GAIN_PER_DOUBLING ** Math.log2(step.instances / previous.instances);
    if (gain < needed) reasons.push(`${previous.instances} -> ${step.instances} instances: x${gains[String(step.instances)]}, needed x${Math.round(needed * 100) / 100}`);
  });
  if (clientAddresses !== 1) reasons.push(`clients used ${clientAddresses} addresses`);
  return { holds: steps.length > 1 && reasons.length === 0, gains, reasons };
}

/** Puts the first `count` instances in service and the others in maintenance, then waits for health. */
async function serveWith(lb: Haproxy, apps: readonly AppInstance[], count: number): Promise<void> {
  for (const [i, app] of apps.entries()) await lb.setServerState(app.name, i < count ? 'ready' : 'maint');
  await lb.waitForServerStatus('UP', apps.slice(0, count).map((a) => a.name), 10_000);
}

async function measure(lb: Haproxy, instances: number, sizes: Sizes, addresses: Set<string>): Promise<ScaleOutStep> {
  const path = `/work?ioMs=${sizes.ioMs}&cpuMs=${sizes.cpuMs}`;
  const clients = Array.from({ length: sizes.concurrency }, () => new HttpClient(lb.url));
  const servedBy: Record<string, number> = {};
  const get = async (client: HttpClient): Promise<string> => {
    addresses.add(client.baseUrl);
    const response = await client.get(path);
    if (response.status !== 200) throw new Error(`GET /work answered ${response.status}`);
    return response.servedBy ?? 'unknown';
  };
  await Promise.all(clients.map(get)); // warm-up: connections open, instances JIT-warm
  await lb.adminCommand('clear counters all'); // smax of this step only
  const load: LoadResult = await runLoad({
    concurrency: sizes.concurrency,
    durationMs: sizes.durationMs,
    request: async (worker) => {
      const instance = await get(clients[worker]);
      servedBy[instance] = (servedBy[instance] ?? 0) + 1;
    },
  });
  const stats = await lb.serverStats();
  const maxInFlight = Math.max(0, ...Object.entries(stats).filter(([name]) => name !== 'BACKEND').map(([, row]) => Number(row.smax)));
  return {
    instances,
    throughputPerSec: load.throughputPerSec,
    p50Ms: load.latency.p50,
    p99Ms: load.latency.p99,
    failed: load.failed,
    servedBy: Object.fromEntries(Object.entries(servedBy).sort(([a], [b]) => a.localeCompare(b))),
    maxInFlightPerInstance: maxInFlight,
  };
}

function charts(steps: readonly ScaleOutStep[]): ChartSpec[] {
  const base = steps[0]?.throughputPerSec ?? 0;
  return [
    {
      id: 'throughput',
      title: 'Throughput through one address as instances are added',
      kind: 'bar',
      unit: 'requests/s',
      xLabel: 'instances behind the load balancer (one request at a time each)',
      series: [
        { name: 'measured', points: steps.map((s) => ({ x: s.instances, y: s.throughputPerSec })) },
        { name: 'linear (n x one instance)', points: steps.map((s) => ({ x: s.instances, y: Math.round(base * s.instances * 10) / 10 })) },
      ],
    },
    {
      id: 'latency',
      title: 'Client latency (queueing at the load balancer included)',
      kind: 'bar',
      unit: 'ms',
      xLabel: 'instances behind the load balancer',
      series: [
        { name: 'p50', points: steps.map((s) => ({ x: s.instances, y: s.p50Ms })) },
        { name: 'p99', points: steps.map((s) => ({ x: s.instances, y: s.p99Ms })) },
      ],
    },
  ];
}

export const reverseProxyScaleOutExperiment: Experiment = {
  id: 'reverse-proxy-scale-out',
  title: 'Scale out behind one address (reverse proxy)',
  claim: 'Clients know one address; adding instances behind it raises throughput without clients changing.',
  async run(ctx: ExperimentContext): Promise<ExperimentResult> {
    const sizes = ctx.quick ? QUICK : FULL;
    const most = Math.max(...INSTANCE_COUNTS);
    ctx.progress(`starting ${most} app instances and HAProxy (maxconn 1 per instance, stickiness off)`);
    const apps = await startAppInstances({ count: most, namePrefix: 'scale', env: {} });
    ctx.defer(() => Promise.all(apps.map((a) => a.stop())));
    const lb = await startHaproxy({ backends: apps, sticky: false, maxConnPerServer: 1 });
    ctx.defer(() => lb.stop());

    const addresses = new Set<string>();
    const steps: ScaleOutStep[] = [];
    for (const count of INSTANCE_COUNTS) {
      await serveWith(lb, apps, count);
      ctx.progress(`${count} instance(s) in service: ${sizes.concurrency} clients on ${lb.url} for ${sizes.durationMs} ms`);
      const step = await measure(lb, count, sizes, addresses);
      ctx.progress(`${count} instance(s): ${step.throughputPerSec} req/s, p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms`);
      steps.push(step);
    }

    const verdict = judgeScaleOut(steps, addresses.size);
    const byCount = <T>(pick: (s: ScaleOutStep) => T) => Object.fromEntries(steps.map((s) => [String(s.instances), pick(s)]));
    const [first, last] = [steps[0], steps[steps.length - 1]];
    return {
      figures: {
        throughputPerSec: byCount((s) => s.throughputPerSec),
        gainPerStep: verdict.gains,
        latencyMs: byCount((s) => ({ p50: s.p50Ms, p99: s.p99Ms })),
        servedBy: byCount((s) => s.servedBy),
        maxInFlightPerInstance: byCount((s) => s.maxInFlightPerInstance),
        failedRequests: byCount((s) => s.failed),
        clientAddresses: addresses.size,
        setup: { ioMs: sizes.ioMs, cpuMs: sizes.cpuMs, clientConcurrency: sizes.concurrency, durationMsPerStep: sizes.durationMs },
      },
      holds: verdict.holds,
      details:
        `${sizes.concurrency} closed-loop clients sent GET /work?ioMs=${sizes.ioMs}&cpuMs=${sizes.cpuMs} to one HAProxy address ` +
        `for ${sizes.durationMs} ms per step, with ${INSTANCE_COUNTS.join(', ')} container-server instances in service ` +
        `(the others in maintenance) and maxconn 1 per instance, so each handled one request at a time like a Lambda ` +
        `execution environment (observed at most ${Math.max(...steps.map((s) => s.maxInFlightPerInstance))} at once). ` +
        `Throughput went from ${first.throughputPerSec} to ${last.throughputPerSec} req/s ` +
        `(x${Math.round((last.throughputPerSec / Math.max(first.throughputPerSec, 0.1)) * 100) / 100} for x${last.instances / first.instances} instances) ` +
        `and p50 latency from ${first.p50Ms} to ${last.p50Ms} ms, while the clients used ${addresses.size} address. ` +
        `Each doubling had to gain at least x${MIN_GAIN_PER_DOUBLING}` +
        (verdict.reasons.length === 0 ? '.' : `; it did not hold: ${verdict.reasons.join('; ')}.`),
      charts: charts(steps),
    };
  },
};
