/**
 * Hand-written SVG charts for the lab report: bars per category (grouped by series) or lines over
 * x, 640x360, with title, axes, ticks, unit, x label and legend. No dependency, no script, no
 * external font (the generic `sans-serif` family), so a report renders anywhere, GitHub included.
 */
import type { ChartSpec } from './experiment';

const WIDTH = 640;
const HEIGHT = 360;
const PLOT = { left: 72, right: WIDTH - 24, top: 72, bottom: HEIGHT - 56 };
/** Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
const FONT = 'font-family="sans-serif"';

type Point = ChartSpec['series'][number]['points'][number];

/**
 * Renders one chart as a standalone SVG document.
 *
 * @example
 * renderChartSvg({ id: 'throughput', title: 'Throughput', kind: 'bar', unit: 'req/s', xLabel: 'instances',
 *   series: [{ name: 'req/s', points: [{ x: 1, y: 9.8 }, { x: 2, y: 19.6 }] }] });
 */
export function renderChartSvg(spec: ChartSpec): string {
  const ys = spec.series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
  const scale = niceScale(Math.min(0, ...ys), Math.max(0, ...ys));
  const yOf = (v: number) => PLOT.bottom - ((v - scale.min) / (scale.max - scale.min)) * (PLOT.bottom - PLOT.top);
  const points = spec.series.flatMap((s) => s.points);
  const numericX = spec.kind === 'line' && points.length > 0 && points.every((p) => typeof p.x === 'number');
  const body = numericX ? linesOverNumbers(spec, yOf) : spec.kind === 'bar' ? bars(spec, yOf, scale.min) : linesOverCategories(spec, yOf);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(spec.title)}">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="26" text-anchor="middle" ${FONT} font-size="16" font-weight="bold" fill="#222">${escapeXml(spec.title)}</text>`,
    legend(spec),
    yAxis(spec, scale, yOf),
    ...body,
    `<line x1="${PLOT.left}" y1="${r(yOf(Math.max(0, scale.min)))}" x2="${PLOT.right}" y2="${r(yOf(Math.max(0, scale.min)))}" stroke="#444"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 12}" text-anchor="middle" ${FONT} font-size="13" fill="#222">${escapeXml(spec.xLabel)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/** Escapes the five XML special characters (text and attribute values). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Axis bounds and tick step on a 1-2-5 grid, about five ticks, including `min` and `max`. */
export function niceScale(min: number, max: number): { min: number; max: number; step: number } {
  if (min === max) return min === 0 ? { min: 0, max: 1, step: 0.2 } : niceScale(Math.min(0, min), Math.max(0, max));
  const raw = (max - min) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) as number) * magnitude;
  return { min: Math.floor(min / step) * step, max: Math.ceil(max / step) * step, step };
}

/** A value for a label: integers above 100, else up to two decimals, trailing zeros dropped. */
export function formatValue(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

function yAxis(spec: ChartSpec, scale: { min: number; max: number; step: number }, yOf: (v: number) => number): string {
  const parts: string[] = [];
  const count = Math.round((scale.max - scale.min) / scale.step);
  for (let i = 0; i <= count; i += 1) {
    const value = scale.min + i * scale.step;
    const y = r(yOf(value));
    parts.push(`<line x1="${PLOT.left}" y1="${y}" x2="${PLOT.right}" y2="${y}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${PLOT.left - 8}" y="${y + 4}" text-anchor="end" ${FONT} font-size="11" fill="#444">${formatValue(Number(value.toPrecision(12)))}</text>`);
  }
  const middle = (PLOT.top + PLOT.bottom) / 2;
  parts.push(`<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#444"/>`);
  parts.push(`<text x="18" y="${middle}" transform="rotate(-90 18 ${middle})" text-anchor="middle" ${FONT} font-size="13" fill="#222">${escapeXml(spec.unit)}</text>`);
  return parts.join('\n');
}

function legend(spec: ChartSpec): string {
  const parts: string[] = [];
  let [x, y] = [PLOT.left, 40];
  spec.series.forEach((series, i) => {
    const label = truncate(series.name, 28);
    const width = 17 + label.length * 7 + 18;
    if (x > PLOT.left && x + width > PLOT.right) [x, y] = [PLOT.left, y + 16]; // wrap onto a second row
    parts.push(`<rect x="${x}" y="${y}" width="12" height="12" fill="${colour(i)}"/>`);
    parts.push(`<text x="${x + 17}" y="${y + 10}" ${FONT} font-size="12" fill="#222">${escapeXml(label)}</text>`);
    x += width;
  });
  return parts.join('\n');
}

/** Category labels in first-seen order over all series. */
function categories(spec: ChartSpec): string[] {
  return [...new Set(spec.series.flatMap((s) => s.points.map((p) => String(p.x))))];
}

function xTick(x: number, label: string, room: number): string {
  const text = truncate(label, Math.max(3, Math.floor(room / 7)));
  return `<text x="${r(x)}" y="${PLOT.bottom + 18}" text-anchor="middle" ${FONT} font-size="11" fill="#444">${escapeXml(text)}</text>`;
}

function bars(spec: ChartSpec, yOf: (v: number) => number, floor: number): string[] {
  const labels = categories(spec);
  const band = (PLOT.right - PLOT.left) / Math.max(1, labels.length);
  const groupWidth = band * 0.8;
  const barWidth = groupWidth / Math.max(1, spec.series.length);
  const base = yOf(Math.max(0, floor));
  const parts = labels.map((label, i) => xTick(PLOT.left + band * (i + 0.5), label, band));
  spec.series.forEach((series, s) => {
    for (const point of series.points) {
      const i = labels.indexOf(String(point.x));
      const x = PLOT.left + band * i + (band - groupWidth) / 2 + barWidth * s;
      const y = yOf(point.y);
      const [top, height] = y < base ? [y, base - y] : [base, y - base];
      parts.push(
        `<rect x="${r(x + 1)}" y="${r(top)}" width="${r(Math.max(1, barWidth - 2))}" height="${r(height)}" fill="${colour(s)}">` +
          `<title>${escapeXml(`${series.name} @ ${point.x}: ${formatValue(point.y)} ${spec.unit}`)}</title></rect>`,
      );
      parts.push(valueLabel(x + barWidth / 2, top - 4, point.y));
    }
  });
  return parts;
}

function linesOverCategories(spec: ChartSpec, yOf: (v: number) => number): string[] {
  const labels = categories(spec);
  const band = (PLOT.right - PLOT.left) / Math.max(1, labels.length);
  const xOf = (p: Point) => PLOT.left + band * (labels.indexOf(String(p.x)) + 0.5);
  return [...labels.map((label, i) => xTick(PLOT.left + band * (i + 0.5), label, band)), ...lines(spec, xOf, yOf)];
}

function linesOverNumbers(spec: ChartSpec, yOf: (v: number) => number): string[] {
  const xs = spec.series.flatMap((s) => s.points.map((p) => p.x as number));
  const scale = niceScale(Math.min(...xs), Math.max(...xs));
  const inset = 16; // keeps the end markers off the axis
  const xOf = (p: Point) => PLOT.left + inset + (((p.x as number) - scale.min) / (scale.max - scale.min)) * (PLOT.right - PLOT.left - 2 * inset);
  const ticks: string[] = [];
  const count = Math.round((scale.max - scale.min) / scale.step);
  const room = (PLOT.right - PLOT.left) / Math.max(1, count);
  for (let i = 0; i <= count; i += 1) {
    const value = Number((scale.min + i * scale.step).toPrecision(12));
    ticks.push(xTick(xOf({ x: value, y: 0 }), formatValue(value), room));
  }
  return [...ticks, ...lines(spec, xOf, yOf)];
}

function lines(spec: ChartSpec, xOf: (p: Point) => number, yOf: (v: number) => number): string[] {
  return spec.series.flatMap((series, s) => {
    const points = series.points.filter((p) => Number.isFinite(p.y));
    const path = points.map((p) => `${r(xOf(p))},${r(yOf(p.y))}`).join(' ');
    return [
      `<polyline points="${path}" fill="none" stroke="${colour(s)}" stroke-width="2"/>`,
      ...points.map(
        (p) =>
          `<circle cx="${r(xOf(p))}" cy="${r(yOf(p.y))}" r="3.5" fill="${colour(s)}">` +
          `<title>${escapeXml(`${series.name} @ ${p.x}: ${formatValue(p.y)} ${spec.unit}`)}</title></circle>`,
      ),
    ];
  });
}

function valueLabel(x: number, y: number, value: number): string {
  return `<text x="${r(x)}" y="${r(Math.max(PLOT.top - 4, y))}" text-anchor="middle" ${FONT} font-size="10" fill="#333">${formatValue(value)}</text>`;
}

function colour(index: number): string {
  return PALETTE[index % PALETTE.length];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Coordinates to 0.1 px: smaller files, no visible difference. */
function r(value: number): number {
  return Math.round(value * 10) / 10;
}
