/**
 * The lab's report: `report.json` (for tools and for comparing runs), `report.md` (for people:
 * a summary table, then one section per experiment with its figures and charts) and the charts
 * as SVG files under `charts/`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderChartSvg } from './charts';
import type { ChartSpec, ExperimentResult, FigureValue } from './experiment';
import { describeMachineBriefly, type MachineInfo } from './machine';

/** One experiment as `report.json` records it. */
export interface ExperimentRecord {
  readonly id: string;
  readonly title: string;
  readonly claim: string;
  readonly figures: ExperimentResult['figures'];
  readonly holds: boolean;
  readonly details: string;
  readonly durationMs: number;
  /** Chart file names under `charts/`. */
  readonly charts: readonly string[];
}

export interface LabReport {
  readonly experiments: readonly ExperimentRecord[];
  readonly machine: MachineInfo;
  readonly mode: 'quick' | 'full';
  readonly startedAt: string;
  readonly durationMs: number;
}

/** An experiment's record before its charts are written, with the chart specs themselves. */
export interface ExperimentOutcome extends Omit<ExperimentRecord, 'charts'> {
  readonly chartSpecs: readonly ChartSpec[];
}

export interface WrittenReport {
  readonly report: LabReport;
  readonly jsonFile: string;
  readonly markdownFile: string;
}

/**
 * Writes report.json, report.md and charts/*.svg into `outDir` (created if missing; SVG files of
 * an earlier run in `charts/` are replaced, nothing else there is touched).
 *
 * @example
 * const { markdownFile } = writeReport('lab-report', { mode: 'quick', startedAt, durationMs, machine }, outcomes);
 */
export function writeReport(
  outDir: string,
  run: Omit<LabReport, 'experiments'>,
  outcomes: readonly ExperimentOutcome[],
): WrittenReport {
  const chartsDir = path.join(outDir, 'charts');
  fs.mkdirSync(chartsDir, { recursive: true });
  for (const file of fs.readdirSync(chartsDir)) if (file.endsWith('.svg')) fs.rmSync(path.join(chartsDir, file));
  const experiments = outcomes.map(({ chartSpecs, ...record }): ExperimentRecord => {
    const charts = chartSpecs.map((spec) => {
      const file = chartFileName(record.id, spec.id);
      fs.writeFileSync(path.join(chartsDir, file), renderChartSvg(spec));
      return file;
    });
    return { ...record, charts };
  });
  const report: LabReport = { experiments, ...run };
  const jsonFile = path.join(outDir, 'report.json');
  const markdownFile = path.join(outDir, 'report.md');
  fs.writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(markdownFile, renderMarkdown(report, outcomes));
  return { report, jsonFile, markdownFile };
}

/** `<experiment>-<chart>.svg`, with anything but letters, digits and `-` replaced. */
export function chartFileName(experimentId: string, chartId: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9-]+/g, '-');
  return `${safe(experimentId)}-${safe(chartId)}.svg`;
}

/**
 * The first figures, compactly: `throughput: 1=9.8, 2=19.5, 4=38.7; p50Ms: ...`, cut at `maxLength`.
 * Experiments put their headline figure first.
 */
export function keyFigures(figures: ExperimentResult['figures'], count = 2, maxLength = 120): string {
  const text = Object.entries(figures)
    .slice(0, count)
    .map(([name, value]) => `${name}: ${compact(value)}`)
    .join('; ');
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

/** `a=1, b={c=2, d=3}, e=[1, 2]`: figures without JSON's quotes. */
function compact(value: FigureValue, nested = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => compact(v, true)).join(', ')}]`;
  if (isRecord(value)) {
    const text = Object.entries(value).map(([key, inner]) => `${key}=${compact(inner, true)}`).join(', ');
    return nested ? `{${text}}` : text;
  }
  return String(value);
}

/** Nested figures as rows of `dotted.path` and value, in the order the experiment gave them. */
export function flattenFigures(figures: ExperimentResult['figures']): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const visit = (name: string, value: FigureValue): void => {
    if (isRecord(value) && Object.keys(value).length > 0) {
      for (const [key, inner] of Object.entries(value)) visit(`${name}.${key}`, inner);
    } else {
      rows.push([name, Array.isArray(value) ? value.map(scalar).join(', ') : scalar(value)]);
    }
  };
  for (const [key, value] of Object.entries(figures)) visit(key, value);
  return rows;
}

function isRecord(value: FigureValue): value is { readonly [key: string]: FigureValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function scalar(value: FigureValue): string {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The Markdown report; `outcomes` supplies chart titles for the image alt texts. */
export function renderMarkdown(report: LabReport, outcomes: readonly ExperimentOutcome[] = []): string {
  const held = report.experiments.filter((e) => e.holds).length;
  const lines = [
    '# Scalability lab report',
    '',
    `Mode **${report.mode}**, started ${report.startedAt}, took ${seconds(report.durationMs)}.  `,
    `Machine: ${describeMachineBriefly(report.machine)}.`,
    '',
    `**${held} of ${report.experiments.length} claims held.**`,
    '',
    '| Experiment | Claim | Holds | Key figures |',
    '|---|---|---|---|',
    ...report.experiments.map((e) => `| [${e.id}](#${e.id}) | ${cell(e.claim)} | ${e.holds ? '✅ yes' : '❌ no'} | ${cell(keyFigures(e.figures))} |`),
  ];
  for (const e of report.experiments) {
    const specs = outcomes.find((o) => o.id === e.id)?.chartSpecs ?? [];
    lines.push(
      '',
      `<a id="${e.id}"></a>`,
      `## ${e.id}: ${e.title}`,
      '',
      `> ${e.claim}`,
      '',
      `**${e.holds ? 'Holds' : 'Does not hold'}** (${seconds(e.durationMs)}).`,
      '',
      e.details,
    );
    const rows = flattenFigures(e.figures);
    if (rows.length > 0) lines.push('', '| Figure | Value |', '|---|---|', ...rows.map(([name, value]) => `| ${cell(name)} | ${cell(value)} |`));
    e.charts.forEach((file, i) => lines.push('', `![${cell(specs[i]?.title ?? file)}](charts/${file})`));
  }
  return `${lines.join('\n')}\n`;
}

/** Table-cell safe: no pipe or line break breaks the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
