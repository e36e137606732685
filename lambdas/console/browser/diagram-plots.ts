/**
 * The small plots under the diagram: labelled, units on the axes, a dash pattern and a label per
 * series (not colour alone).
 */
import { byId } from './dom';
import { el, formatBytes } from './diagram-svg';
import { diagramState, HISTORY_MS } from './diagram-state';

function plotFrame(id: string, title: string, width: number, height: number): Element {
  const svg = byId(id);
  svg.textContent = '';
  svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  el('title', {}, svg, title);
  return svg;
}

function lagPlot(field: 'bytes' | 'ms', id: string, unit: string): void {
  const { lagHistory } = diagramState;
  const svg = plotFrame(id, 'Replication lag per replica over the last 5 minutes, in ' + unit, 300, 130);
  const now = Date.now();
  let max = 1;
  let oldest = now;
  Object.keys(lagHistory).forEach((n) => {
    lagHistory[n].forEach((p) => {
      oldest = Math.min(oldest, p.t);
      const v = p[field];
      if (v !== null) max = Math.max(max, v);
    });
  });
  // The time axis spans what was recorded (at least 30 s, at most 5 min), so a young page is readable.
  const span = Math.min(HISTORY_MS, Math.max(30000, now - oldest));
  // The top of the axis, in its unit (the caption says what is measured).
  el('text', { x: 4, y: 12, class: 'axis' }, svg, field === 'bytes' ? formatBytes(max) : (max / 1000).toFixed(1) + ' s');
  el('text', { x: 4, y: 124, class: 'axis' }, svg, '-' + Math.round(span / 1000) + ' s');
  el('text', { x: 296, y: 124, class: 'axis', 'text-anchor': 'end' }, svg, 'now');
  el('line', { x1: 40, y1: 110, x2: 296, y2: 110, class: 'grid' }, svg);
  Object.keys(lagHistory)
    .sort()
    .forEach((name, k) => {
      const pts: string[] = [];
      for (const p of lagHistory[name]) {
        const v = p[field];
        if (v !== null) pts.push((40 + 256 * (1 - (now - p.t) / span)).toFixed(1) + ',' + (110 - (90 * v) / max).toFixed(1));
      }
      if (!pts.length) return;
      el('polyline', { points: pts.join(' '), class: 'series s' + k }, svg);
      // A legend line in the series' own dash pattern, then its name: readable without colour.
      el('line', { x1: 200, y1: 9 + k * 11, x2: 222, y2: 9 + k * 11, class: 'series s' + k }, svg);
      el('text', { x: 226, y: 12 + k * 11, class: 'axis' }, svg, name);
    });
}

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly text: string;
  readonly series?: number;
}

function barPlot(id: string, title: string, unit: string, bars: readonly Bar[]): void {
  const svg = plotFrame(id, title, 300, 24 + bars.length * 20);
  const max = Math.max(1, ...bars.map((b) => b.value));
  el('text', { x: 4, y: 12, class: 'axis' }, svg, unit);
  bars.forEach((b, i) => {
    const y = 20 + i * 20;
    el('text', { x: 4, y: y + 12, class: 'axis' }, svg, b.label);
    el('rect', { x: 120, y: y + 2, width: ((130 * b.value) / max).toFixed(1), height: 12, class: 'bar s' + (b.series || 0) }, svg);
    el('text', { x: 124 + (130 * b.value) / max, y: y + 12, class: 'axis' }, svg, b.text);
  });
}

/** Redraws every plot (a page without them, none). */
export function drawPlots(): void {
  if (!document.getElementById('plot-lag-bytes')) return;
  const { model, bursts, cache } = diagramState;
  lagPlot('bytes', 'plot-lag-bytes', 'bytes of WAL behind');
  lagPlot('ms', 'plot-lag-ms', 'age of last replayed commit');
  barPlot('plot-requests', 'Requests per instance from this page', 'requests', Object.keys(model.served).sort().map((n) => ({ label: n, value: model.served[n], text: String(model.served[n]) })));
  barPlot(
    'plot-counters',
    'Milliseconds per increment, hot row versus sharded, by burst',
    'ms per increment',
    bursts.slice(-4).map((b, i) => ({ label: i + 1 + '. ' + b.kind, value: b.msEach, text: b.msEach.toFixed(1) + ' ms', series: b.kind === 'hot' ? 1 : 0 })),
  );
  const reads = (cache.hit || 0) + (cache.miss || 0) + (cache.bypass || 0);
  barPlot(
    'plot-cache',
    'Cache hit ratio of this page\u2019s profile reads',
    'share of reads',
    (['hit', 'miss', 'bypass'] as const).map((k, i) => {
      const v = reads ? (cache[k] || 0) / reads : 0;
      return { label: k, value: v, text: Math.round(v * 100) + ' % (' + (cache[k] || 0) + ')', series: i };
    }),
  );
}
