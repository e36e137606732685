/**
 * The live architecture diagram (`#diagram-svg`) and its words (`#diagram-text`, the same picture
 * as a list for screen readers and for anyone who cannot tell the colours). The panels and the
 * controls feed it through `diagram`: `update(state)`, `served(name, n)`, `path(route)`,
 * `lag(report)`, `burst(kind, msEach)`, `cacheRatio(counts)`, `reset()`.
 */
import type { PlaygroundStateView, ReplicationLagResponse } from './api-types';
import { byId } from './dom';
import { drawPlots } from './diagram-plots';
import { highlight, type DiagramRoute } from './diagram-routes';
import { diagramState, HISTORY_MS, instanceState, lagOf, type Burst, type CacheCounts } from './diagram-state';
import { box, el, formatBytes, link, type Rect } from './diagram-svg';

const { model } = diagramState;
let lastRoute: DiagramRoute | null = null;

function draw(): void {
  const svg = document.getElementById('diagram-svg');
  if (!svg) return;
  while (svg.lastChild && svg.lastChild.nodeName !== 'title' && svg.lastChild.nodeName !== 'desc') svg.removeChild(svg.lastChild);
  const rowH = 44;
  const instances = model.instances;
  const height = Math.max(40 + instances.length * rowH, 40 + (model.replicas.length + 2) * rowH, 40 + model.regions.length * 60) + 16;
  svg.setAttribute('viewBox', '0 0 960 ' + height);
  const lb = box(svg, 'lb', 10, height / 2 - 25, 130, 50, 'Load balancer', model.playground ? 'HAProxy (the ALB)' : 'ALB');
  const boxes: Record<string, Rect> = {};
  instances.forEach((inst, i) => {
    const state = instanceState(inst);
    const n = model.served[inst.name] || 0;
    boxes[inst.name] = box(svg, inst.name, 200, 20 + i * rowH, 190, 38, inst.name + ' (' + inst.tier + ')', state.toUpperCase() + ', ' + n + ' request' + (n === 1 ? '' : 's'), state);
    link(svg, 'lb-' + inst.name, lb, boxes[inst.name], state === 'down' ? 'broken' : '');
  });
  const redisState = model.redis === 'down' ? 'down' : model.redis === 'reconnecting' ? 'draining' : 'up';
  const redis = box(svg, 'redis', 470, 20, 170, 38, 'Redis / Valkey', model.redis === 'unknown' ? 'cache, sessions' : model.redis.toUpperCase(), redisState);
  const primary = box(svg, 'primary', 470, 20 + rowH, 170, 38, 'PostgreSQL primary', 'writes, read-your-writes', 'up');
  const replicas: Record<string, Rect> = {};
  model.replicas.forEach((name, i) => {
    const lag = lagOf(name);
    const y = 20 + (i + 2) * rowH;
    const words = lag === null ? 'lag not measured yet' : lag.bytes === null ? 'not streaming' : lag.bytes === 0 ? 'caught up' : formatBytes(lag.bytes) + ' behind';
    const behind = lag !== null && lag.bytes !== null && lag.bytes > 0;
    replicas[name] = box(svg, name, 470, y, 170, 38, name, words, behind ? 'behind' : 'up');
    // The lag bar: log scale, 1 KiB to 16 MiB across its track, with its figure written beside it.
    const frac = behind ? Math.min(1, Math.max(0.04, Math.log((lag.bytes as number) / 512) / Math.log(32768))) : 0;
    const bar = el('g', { id: 'dg-lagbar-' + name, class: 'lagbar', 'data-bytes': lag && lag.bytes !== null ? lag.bytes : '' }, svg);
    el('rect', { x: 648, y: y + 14, width: 60, height: 10, class: 'track' }, bar);
    el('rect', { x: 648, y: y + 14, width: (60 * frac).toFixed(1), height: 10, class: 'fill' }, bar);
    link(svg, 'primary-' + name, { x: 470, y: primary.y, w: 0, h: primary.h }, { x: 470, y, w: 0, h: 38 }, model.frozen ? 'held' : '', null);
  });
  instances.forEach((inst) => {
    if (inst.tier === 'writer') return;
    link(svg, inst.name + '-redis', boxes[inst.name], redis, '');
    link(svg, inst.name + '-primary', boxes[inst.name], primary, '');
    model.replicas.forEach((r) => link(svg, inst.name + '-' + r, boxes[inst.name], replicas[r], ''));
  });
  const regionBoxes = model.regions.map((r, i) => {
    const b = box(svg, 'region-' + r.name, 750, 20 + i * 70, 200, 44, 'DynamoDB ' + r.name, i === 0 ? 'this stack\u2019s Region' : 'replica Region', 'up');
    // Along the bottom, under the instances and databases, to the Region's regional writer.
    const g = el('g', { id: 'dl-lb-region-' + r.name, class: 'link' }, svg);
    el('path', { d: 'M75 ' + (lb.y + lb.h) + ' V' + (height - 6 - i * 5) + ' H' + (730 - i * 8) + ' V' + (b.y + b.h / 2) + ' H750' }, g);
    return b;
  });
  if (regionBoxes.length > 1) {
    const a = regionBoxes[0];
    const b = regionBoxes[regionBoxes.length - 1];
    const g = el('g', { id: 'dl-replication', class: 'link ' + (model.partitioned ? 'held' : 'flowing') }, svg);
    el('path', { d: 'M' + (a.x + a.w - 12) + ' ' + (a.y + a.h) + ' L' + (b.x + b.w - 12) + ' ' + b.y }, g);
    el('text', { x: a.x + a.w - 16, y: (a.y + a.h + b.y) / 2 + 4, 'text-anchor': 'end', class: 'detail' }, g, model.partitioned ? 'replication HELD' : 'replication flowing');
  }
  if (lastRoute) highlight(lastRoute);
  describe();
}

/** The same picture in words. */
function describe(): void {
  const list = byId('diagram-text');
  const lines = ['Load balancer in front of ' + model.instances.length + ' instance(s).'];
  model.instances.forEach((i) => lines.push(i.name + ' (' + i.tier + '): ' + instanceState(i) + ', ' + (model.served[i.name] || 0) + ' requests from this page.'));
  lines.push('Redis: ' + model.redis + '.');
  lines.push('PostgreSQL primary; replication ' + (model.frozen ? 'frozen' : 'flowing') + (model.delayMs ? ', replay delay ' + model.delayMs + ' ms' : '') + '.');
  model.replicas.forEach((name) => {
    const lag = lagOf(name);
    lines.push(name + ': ' + (lag === null || lag.bytes === null ? 'lag unknown' : formatBytes(lag.bytes) + ' behind') + '.');
  });
  model.regions.forEach((r) => lines.push('DynamoDB Region ' + r.name + '.'));
  if (model.regions.length > 1) lines.push('Replication between Regions: ' + (model.partitioned ? 'held (partitioned)' : 'flowing') + '.');
  list.textContent = '';
  lines.forEach((t) => {
    const li = document.createElement('li');
    li.textContent = t;
    list.appendChild(li);
  });
}

/** What the panels and the controls tell the diagram. */
export const diagram = {
  /** The playground's control state: the instances, engines and Regions as they are. */
  update(s: PlaygroundStateView): void {
    model.playground = true;
    model.instances = [...s.instances];
    model.redis = s.redis;
    model.frozen = s.replication.frozen;
    model.delayMs = s.replication.delayMs;
    model.partitioned = s.partitioned;
    model.regions = s.regions;
    draw();
  },
  /** `name` has answered `n` of this page's requests. */
  served(name: string, n: number): void {
    model.served[name] = n;
    if (!model.playground && !model.instances.some((i) => i.name === name)) {
      model.instances.push({ name, tier: /^lambda/.test(name) ? 'lambda' : 'fargate', status: 'SEEN' });
    }
    draw();
    drawPlots();
  },
  path(route: DiagramRoute): void {
    lastRoute = route;
    highlight(route);
  },
  lag(report: ReplicationLagResponse): void {
    const now = Date.now();
    const replicas = report.replicas || [];
    model.replicas = replicas.map((r) => r.name);
    replicas.forEach((r) => {
      const h = (diagramState.lagHistory[r.name] = (diagramState.lagHistory[r.name] || []).filter((p) => now - p.t < HISTORY_MS));
      h.push({
        t: now,
        bytes: r.reachable && r.lagBytes !== null ? Number(r.lagBytes) : null,
        ms: r.reachable && r.lagMs !== null && r.lagMs !== undefined ? Number(r.lagMs) : null,
      });
    });
    draw();
    drawPlots();
  },
  burst(kind: Burst['kind'], msEach: number): void {
    diagramState.bursts.push({ kind, msEach });
    drawPlots();
  },
  cacheRatio(counts: CacheCounts): void {
    diagramState.cache = counts;
    drawPlots();
  },
  reset(): void {
    model.served = {};
    diagramState.lagHistory = {};
    diagramState.bursts = [];
    diagramState.cache = {};
    lastRoute = null;
    byId('diagram-path').textContent = '';
    draw();
    drawPlots();
  },
};

function refreshLag(): Promise<void> {
  return fetch('replication/lag', { cache: 'no-store' })
    .then(
      (res) => (res.ok ? (res.json() as Promise<ReplicationLagResponse>) : null),
      () => null,
    )
    .then((report) => {
      if (report) diagram.lag(report);
    });
}

/** Draws the first picture and keeps the replicas' lag current while the page is visible. */
export function startDiagram(): void {
  if (!model.regions.length) model.regions = [{ name: 'this Region', base: '' }];
  draw();
  drawPlots();
  void refreshLag();
  window.setInterval(() => {
    if (!document.hidden) void refreshLag();
  }, 2000);
}
