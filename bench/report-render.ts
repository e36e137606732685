/**
 * The Markdown of a benchmark run: the summary table and one section per benchmark (the generated
 * block of `BENCHMARKS.md`), and the README's headline lines. Rendering only: `report.ts` reads
 * and writes the files.
 */
import { WARM_INVOCATION_LIMIT_MS } from './lambda-warm-bench';
import type { BenchmarkName } from './options';
import type { BenchResults, Stamped } from './report';
import { SERIES } from './request-paths-bench';
import { formatRatio, formatStats, kilobytes, type RunStats } from './stats';
const ms = (s: RunStats, digits = 1) => formatStats(s, 'ms', digits);
const sec = (s: RunStats) => formatStats({ ...s, median: s.median / 1000, min: s.min / 1000, max: s.max / 1000 }, 's', 2);
const mb = (s: RunStats) => formatStats(s, 'MB', 0);

function stampLine(name: BenchmarkName, stamped: Stamped<unknown>): string {
  const m = stamped.machine;
  return `_${name}: measured ${stamped.measuredAt}${stamped.quick ? ' (**--quick**: indicative only)' : ''} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), ${m.os}, Node ${m.node}; load average ${m.loadBefore} before, ${m.loadAfter} after._`;
}

const measuredOn = (stamped: Stamped<unknown>) => `${stamped.measuredAt.slice(0, 10)}, load average ${stamped.machine.loadBefore}–${stamped.machine.loadAfter}`;

/**
 * The README's lines: each figure that has a target, as the latest run measured it, with when and
 * under what load (so that nobody quotes a figure from memory).
 */
export function renderHeadline(results: BenchResults): string {
  const lines: string[] = [];
  const synth = results.synth;
  if (synth !== undefined) {
    const r = synth.result;
    lines.push(`- whole-app \`cdk synth\` (CLI) ${sec(r.app.cli.wallMs)} against ${sec(r.emptyApp.cli.wallMs)} for an empty app: ${formatRatio(r.ratio.cli)}${r.ratio.cpuCli === undefined ? '' : `; CPU time ${formatRatio(r.ratio.cpuCli)}`} (${measuredOn(synth)})`);
  }
  const tp = results.throughput;
  for (const route of tp?.result.routes ?? []) {
    lines.push(`- container server, ${route.name}: ${formatRatio(route.containerVsHono)} of a minimal Hono app, ${tp?.result.connections} connections, ${tp?.result.rounds} rounds of ${tp?.result.secondsPerRun} s (${tp === undefined ? '' : measuredOn(tp)})`);
  }
  const suite = results['test-suite'];
  const target = suite?.result.targetSeconds;
  if (suite !== undefined && target !== undefined) {
    const s = suite.result;
    lines.push(`- \`${s.whole.command}\` ${(s.whole.wallMs / 1000).toFixed(0)} s (target ≤ ${target} s ${s.whole.wallMs / 1000 <= target ? '✔' : '✘'}), \`${s.infra.command}\` ${(s.infra.wallMs / 1000).toFixed(0)} s (${measuredOn(suite)})`);
  }
  return lines.length === 0 ? '_No benchmark run recorded yet: `npm run bench`._' : lines.join('\n');
}

/** The generated Markdown: one summary table, then one section per benchmark. */
export function renderResults(results: BenchResults): string {
  // A result written by an older version of the benchmarks may lack fields: render without it and say so.
  const usable: BenchResults = {};
  const stale: string[] = [];
  for (const name of Object.keys(results) as Array<keyof BenchResults>) {
    try {
      renderSections({ [name]: results[name] });
      Object.assign(usable, { [name]: results[name] });
    } catch {
      stale.push(name);
    }
  }
  const text = renderSections(usable);
  return stale.length === 0 ? text : `${text}\n_Not shown (results of an older format, rerun them): ${stale.join(', ')}._\n`;
}

function renderSections(results: BenchResults): string {
  const out: string[] = ['## Results on this machine', '', '| benchmark | figure | measured beside | ratio |', '|---|---|---|---|'];
  const sections: string[] = [];
  const synth = results.synth;
  if (synth !== undefined) {
    const r = synth.result;
    out.push(`| synth (CLI) | ${sec(r.app.cli.wallMs)}, peak ${mb(r.app.cli.peakRssMb)} | empty app ${sec(r.emptyApp.cli.wallMs)}, peak ${mb(r.emptyApp.cli.peakRssMb)} | ${formatRatio(r.ratio.cli)} (CPU time ${r.ratio.cpuCli === undefined ? '—' : formatRatio(r.ratio.cpuCli)}; memory ${formatRatio(r.ratio.peakRssCli)}) |`);
    const appDirect = r.app.direct;
    const emptyDirect = r.emptyApp.direct;
    if (appDirect !== undefined && emptyDirect !== undefined && r.ratio.direct !== undefined) {
      out.push(`| synth (direct) | ${sec(appDirect.wallMs)} | empty app ${sec(emptyDirect.wallMs)} | ${formatRatio(r.ratio.direct)} |`);
    }
    sections.push(
      '### synth',
      stampLine('synth', synth),
      '',
      '| variant | wall | CPU (user+sys) | peak RSS of the process tree |',
      '|---|---|---|---|',
      ...(['cli', 'direct'] as const).flatMap((v) => {
        const [app, empty] = [r.app[v], r.emptyApp[v]];
        if (app === undefined || empty === undefined) return [];
        return [
          `| whole app, ${v} | ${sec(app.wallMs)} | ${sec(app.cpuMs)} | ${mb(app.peakRssMb)} |`,
          `| empty app, ${v} | ${sec(empty.wallMs)} | ${sec(empty.cpuMs)} | ${mb(empty.peakRssMb)} |`,
        ];
      }),
      '',
      `CLI: \`${r.command.cli}\`; direct: \`${r.command.direct}\`. ${r.lambdaBundles} Lambda bundles in the assembly.`,
      '',
    );
  }
  const bundles = results.bundles;
  if (bundles !== undefined) {
    const rows = bundles.result.handlers.map(
      (h) =>
        `| ${h.handler} | ${kilobytes(h.bundle.bytes)} KB | ${h.baselineKind === 'sdk-only' ? `${h.clients.join(' + ')}: ${kilobytes(h.baseline.bytes)} KB` : `no client: empty handler ${kilobytes(h.baseline.bytes)} KB (ratio not meaningful)`} | ${h.baselineKind === 'sdk-only' ? formatRatio(h.ratio) : `n/a (${formatRatio(h.ratio)} of the empty handler)`} | ${h.topPackages.map((p) => `${p.name} ${p.kb}`).join(', ')} |`,
    );
    out.push(`| bundles | ${bundles.result.handlers.length} handlers, ${Math.min(...bundles.result.handlers.map((h) => kilobytes(h.bundle.bytes)))}–${Math.max(...bundles.result.handlers.map((h) => kilobytes(h.bundle.bytes)))} KB | SDK-only bundle of each handler's clients | worst ${formatRatio(worst(bundles.result.handlers.filter((h) => h.baselineKind === 'sdk-only').map((h) => h.ratio)))} |`);
    sections.push('### bundles', stampLine('bundles', bundles), '', '| handler | minified bundle | baseline | ratio | biggest packages (KB) |', '|---|---|---|---|---|', ...rows, '');
  }
  const cold = results['cold-init'];
  if (cold !== undefined) {
    const e = cold.result.emptyHandler;
    const rows = cold.result.handlers.map(
      (h) =>
        `| ${h.handler} | ${ms(h.plain.readyMs)} | ${h.sdkOnly === undefined ? '— (no client: the empty handler is its baseline)' : `${ms(h.sdkOnly.readyMs)}: ${h.ratioToBaseline === undefined ? '—' : formatRatio(h.ratioToBaseline)}`} | ${formatRatio(h.ratioToEmpty)} | ${h.plain.loadMs.median.toFixed(1)} / ${h.plain.initMs.median.toFixed(1)} | ${ms(h.sourceMaps.readyMs)} (${formatRatio(h.ratioSourceMaps)}) | ${h.firstRequest === undefined ? '—' : `${ms(h.firstRequest.ms)} (${h.firstRequest.path}: ${h.firstRequest.statuses.join('/')})`} |`,
    );
    const withBaseline = cold.result.handlers.flatMap((h) => (h.ratioToBaseline === undefined ? [] : [h.ratioToBaseline]));
    const noClient = cold.result.handlers.filter((h) => h.ratioToBaseline === undefined);
    out.push(`| cold init | ${cold.result.handlers.length} handlers, worst ${ms(maxBy(cold.result.handlers, (h) => h.plain.readyMs.median).plain.readyMs)} | own SDK-only bundle (same clients, constructed); empty handler ${ms(e.plain.readyMs)} | worst to own baseline ${withBaseline.length === 0 ? '—' : formatRatio(worst(withBaseline))}; ${noClient.map((h) => `${h.handler.replace(/-handler$/, '')} to empty ${formatRatio(h.ratioToEmpty)}`).join('; ')} |`);
    sections.push(
      '### cold init',
      stampLine('cold-init', cold),
      '',
      `Empty handler: ${ms(e.plain.readyMs)} (Node start-up ${e.plain.bootMs.median.toFixed(1)} ms); with --enable-source-maps ${ms(e.sourceMaps.readyMs)}.`,
      '',
      '| handler | cold init (process start → 404 answered) | own baseline: SDK-only bundle, and ratio | ratio to empty handler | load / app build ms | with --enable-source-maps (as deployed), ratio to empty | first engine request |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
    );
  }
  const req = results['request-paths'];
  if (req !== undefined) {
    const r = req.result;
    const lat = (name: string) => {
      const f = r.series[name];
      return f === undefined ? '—' : `p50 ${ms(f.p50, 3)}, p99 ${ms(f.p99, 3)}`;
    };
    out.push(
      `| session path | redis ${lat(SERIES.session('redis'))}; memory ${lat(SERIES.session('memory'))}; cookie ${lat(SERIES.session('cookie'))} | ${SERIES.rawGetSet} ${lat(SERIES.rawGetSet)} | Redis strategy adds ${formatRatio(r.sessions.redisOverRoundTrips)} GET+SET round trips to memory (back-to-back GET+SET: ${formatRatio(r.sessions.redisOverRoundTripsBackToBack)}) |`,
      `| cache path | hit ${lat(SERIES.cacheHitServer)} (server); ${lat(SERIES.cacheHitEndToEnd)} (end to end) | ${SERIES.rawGet} ${lat(SERIES.rawGet)} | ${formatRatio(r.cache.hitServerVsRawGet)} (back-to-back GET: ${formatRatio(r.cache.hitServerVsRawGetBackToBack)}; end to end ${formatRatio(r.cache.hitEndToEndVsRawGet)}) |`,
      `| read path | replica ${lat(SERIES.replicaRead)}; read-your-writes ${lat(SERIES.readYourWrites)} | ${SERIES.rawPrimaryRead} ${lat(SERIES.rawPrimaryRead)} | ${formatRatio(r.reads.replicaVsPrimary)} / ${formatRatio(r.reads.readYourWritesVsPrimary)} |`,
    );
    sections.push(
      '### request paths',
      stampLine('request-paths', req),
      '',
      `${r.rounds} round(s) of ${r.requestsPerRound} iterations (read-your-writes: a third as many), one request at a time; median across rounds (min–max). Series compared with each other share one loop (each iteration sends one request of each, raw baseline included), so the engines see the same idle gaps and a busy moment of the machine hits them alike; the back-to-back rows are the raw operations in a tight loop, for reference.`,
      '',
      '| series | p50 | p99 | failed |',
      '|---|---|---|---|',
      ...Object.entries(r.series).map(([name, f]) => `| ${name} | ${ms(f.p50, 3)} | ${ms(f.p99, 3)} | ${f.failed} |`),
      '',
      `Served by (all iterations, warm-ups included): ${Object.entries(r.reads.servedBy).map(([series, by]) => `${series}: ${Object.entries(by).map(([node, n]) => `${node} ${n}`).join(', ')}`).join('; ')}.`,
      '',
    );
  }
  const warm = results['lambda-warm'];
  if (warm !== undefined) {
    const w = warm.result;
    const us = (v: RunStats) => formatStats({ ...v, median: v.median * 1000, min: v.min * 1000, max: v.max * 1000 }, 'µs', 1);
    out.push(`| Lambda warm path | whoami ${us(w.whoamiMs)} CPU per invocation (ALB event, in-process; wall ${us(w.whoamiWallMs)}) | bare handler, same response ${us(w.bareMs)} (wall ${us(w.bareWallMs)}) | ${formatRatio(w.ratio)} (no target; ${w.withinLimit ? '✔ under' : '✘ over'} ${WARM_INVOCATION_LIMIT_MS} ms) |`);
    sections.push(
      '### Lambda warm path',
      stampLine('lambda-warm', warm),
      '',
      `Each run: a fresh process requires the bundle, invokes it 2000 times unrecorded, then ${w.invocationsPerRun} times in sequence; the figure is the process's CPU time (user + system) per invocation, which a busy shared machine inflates much less than wall time (shown beside), median of ${w.whoamiMs.runs} runs (min–max), whoami and the bare handler alternating. Lambda bills by the millisecond and an ALB adds its own latency: this row is a guard against regressions past ${WARM_INVOCATION_LIMIT_MS} ms, not a target.`,
      '',
    );
  }
  const tp = results.throughput;
  if (tp !== undefined) {
    const t = tp.result;
    const rps = (v: RunStats) => formatStats(v, 'req/s', 0);
    const cpu = (v: RunStats) => formatStats(v, 'µs', 0);
    for (const r of t.routes) {
      out.push(`| throughput: ${r.name} | container ${rps(r.reqPerSec.container)} | minimal Hono ${rps(r.reqPerSec.hono)}; bare node:http ${rps(r.reqPerSec.bare)} | ${formatRatio(r.containerVsHono)} of Hono (${formatRatio(r.containerVsBare)} of bare) |`);
    }
    sections.push(
      '### throughput',
      stampLine('throughput', tp),
      '',
      `autocannon, ${t.connections} connections, ${t.secondsPerRun} s per run, ${t.rounds} round(s) after an unrecorded 1 s warm-up of each server and route; in each round every server runs once per route, in an order rotated from round to round; ratios per round, median (range). All three servers are esbuild bundles built with \`npm run build:server\`'s flags and run as the Dockerfile runs them (NODE_ENV=production, --enable-source-maps); the load generator runs on the same 2 cores.`,
      '',
      '| route | container | minimal Hono | bare node:http | container / Hono | container / bare | Hono / bare |',
      '|---|---|---|---|---|---|---|',
      ...t.routes.map((r) => `| ${r.name} (\`${r.path}\`) | ${rps(r.reqPerSec.container)} | ${rps(r.reqPerSec.hono)} | ${rps(r.reqPerSec.bare)} | ${formatRatio(r.containerVsHono)} | ${formatRatio(r.containerVsBare)} | ${formatRatio(r.honoVsBare)} |`),
      '',
      'Server CPU time per request (user + system of the server process over the run, from `/proc/<pid>/stat`, divided by the requests served): less sensitive than req/s to what else the machine is doing.',
      '',
      '| route | container | minimal Hono | bare node:http | container / Hono (lower is better) |',
      '|---|---|---|---|---|',
      ...t.routes.map((r) => `| ${r.name} | ${cpu(r.cpuUsPerRequest.container)} | ${cpu(r.cpuUsPerRequest.hono)} | ${cpu(r.cpuUsPerRequest.bare)} | ${formatRatio(r.cpuContainerVsHono)} |`),
      '',
    );
  }
  const suite = results['test-suite'];
  if (suite !== undefined) {
    const s = suite.result;
    const target = s.targetSeconds === undefined ? '—' : `${s.whole.wallMs / 1000 <= s.targetSeconds ? '✔' : '✘'} (target ≤ ${s.targetSeconds} s)`;
    out.push(`| test suite | \`${s.infra.command}\` ${(s.infra.wallMs / 1000).toFixed(1)} s; \`${s.whole.command}\` ${(s.whole.wallMs / 1000).toFixed(1)} s (one run each) | — | ${target} |`);
    sections.push(
      '### test suite',
      stampLine('test-suite', suite),
      '',
      '| command | wall | CPU | result |',
      '|---|---|---|---|',
      ...[s.infra, s.whole].map((run) => `| \`${run.command}\` | ${(run.wallMs / 1000).toFixed(1)} s | ${(run.cpuMs / 1000).toFixed(1)} s | ${run.passed ? 'passed' : '**FAILED**'}: ${run.summary} |`),
      '',
    );
  }
  return [...out, '', ...sections].join('\n');
}

function worst<T extends { readonly value: number }>(ratios: readonly T[]): T {
  return maxBy(ratios, (r) => r.value);
}

function maxBy<T>(items: readonly T[], key: (item: T) => number): T {
  if (items.length === 0) throw new Error('maxBy of nothing');
  return items.reduce((best, item) => (key(item) > key(best) ? item : best));
}
