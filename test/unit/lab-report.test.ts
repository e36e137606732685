import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MachineInfo } from '../../lab/machine';
import { chartFileName, flattenFigures, keyFigures, writeReport, type ExperimentOutcome } from '../../lab/report';

const machine: MachineInfo = {
  cpus: 2,
  cpuModel: 'AMD EPYC',
  memoryGiB: 23.4,
  os: 'Linux 6.1.0 x64',
  node: 'v20.20.2',
  postgres: '15.18',
  redis: '7.0.15',
  haproxy: '2.6.12-1+deb12u3',
};

const scaleOut: ExperimentOutcome = {
  id: 'reverse-proxy-scale-out',
  title: 'Scale out',
  claim: 'Adding instances | raises throughput.',
  figures: { throughputPerSec: { '1': 9.5, '2': 18.8, '4': 37 }, servedBy: { '2': { 'a-1': 3, 'a-2': 3 } }, clientAddresses: 1 },
  holds: true,
  details: 'Eight clients, one address.',
  durationMs: 12_345,
  chartSpecs: [
    { id: 'throughput', title: 'Throughput', kind: 'bar', unit: 'req/s', xLabel: 'instances', series: [{ name: 'measured', points: [{ x: 1, y: 9.5 }] }] },
  ],
};

const failed: ExperimentOutcome = {
  id: 'sessions-instance-loss',
  title: 'Sticky failover',
  claim: 'Memory sessions are lost.',
  figures: {},
  holds: false,
  details: 'The experiment failed: boom.',
  durationMs: 10,
  chartSpecs: [],
};

describe('writeReport', () => {
  let out: string;

  beforeEach(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-report-test-'));
  });

  afterEach(() => {
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('writes report.json with the documented schema and the chart file names', () => {
    // Act
    writeReport(out, { machine, mode: 'quick', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 20_000 }, [scaleOut, failed]);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as Record<string, unknown>;
    // Assess
    expect(Object.keys(json).sort()).toEqual(['durationMs', 'experiments', 'machine', 'mode', 'startedAt']);
    expect(json).toMatchObject({ mode: 'quick', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 20_000, machine });
    const experiments = json.experiments as Array<Record<string, unknown>>;
    expect(experiments.map((e) => Object.keys(e).sort())).toEqual([
      ['charts', 'claim', 'details', 'durationMs', 'figures', 'holds', 'id', 'title'],
      ['charts', 'claim', 'details', 'durationMs', 'figures', 'holds', 'id', 'title'],
    ]);
    expect(experiments[0]).toMatchObject({ id: 'reverse-proxy-scale-out', holds: true, durationMs: 12_345, charts: ['reverse-proxy-scale-out-throughput.svg'], figures: scaleOut.figures });
    expect(experiments[1]).toMatchObject({ id: 'sessions-instance-loss', holds: false, charts: [] });
    expect(fs.readFileSync(path.join(out, 'charts', 'reverse-proxy-scale-out-throughput.svg'), 'utf8')).toContain('<svg');
  });

  it('writes report.md with a summary table, a section per experiment, its figures and its charts', () => {
    // Act
    writeReport(out, { machine, mode: 'full', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 20_000 }, [scaleOut, failed]);
    const markdown = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    // Assess
    expect(markdown).toContain('**1 of 2 claims held.**');
    expect(markdown).toContain('| [reverse-proxy-scale-out](#reverse-proxy-scale-out) | Adding instances \\| raises throughput. | ✅ yes | throughputPerSec: 1=9.5, 2=18.8, 4=37; servedBy: 2={a-1=3, a-2=3} |');
    expect(markdown).toContain('| [sessions-instance-loss](#sessions-instance-loss) | Memory sessions are lost. | ❌ no |  |');
    expect(markdown).toContain('## reverse-proxy-scale-out: Scale out');
    expect(markdown).toContain('| servedBy.2.a-2 | 3 |');
    expect(markdown).toContain('![Throughput](charts/reverse-proxy-scale-out-throughput.svg)');
    expect(markdown).toContain('**Does not hold** (0.0 s).');
    expect(markdown).toContain('PostgreSQL 15.18, Redis 7.0.15, HAProxy 2.6.12-1+deb12u3');
  });

  it('replaces the charts of an earlier run and leaves other files alone', () => {
    // Prepare
    fs.mkdirSync(path.join(out, 'charts'));
    fs.writeFileSync(path.join(out, 'charts', 'old-chart.svg'), '<svg/>');
    fs.writeFileSync(path.join(out, 'charts', 'notes.txt'), 'mine');
    // Act
    writeReport(out, { machine, mode: 'quick', startedAt: 'now', durationMs: 1 }, [scaleOut]);
    // Assess
    expect(fs.readdirSync(path.join(out, 'charts')).sort()).toEqual(['notes.txt', 'reverse-proxy-scale-out-throughput.svg']);
  });
});

describe('report helpers', () => {
  it('shows the first figures compactly and cuts long ones', () => {
    // Act / Assess
    expect(keyFigures({ lost: { memory: 10, redis: 0 }, list: [1, { a: 2 }], other: 3 })).toBe('lost: memory=10, redis=0; list: [1, {a=2}]');
    expect(keyFigures({ latencyMs: { sync: { p50: 1.7, p99: 8.4 } } })).toBe('latencyMs: sync={p50=1.7, p99=8.4}');
    expect(keyFigures({ text: 'x'.repeat(200) }, 2, 20)).toBe(`text: ${'x'.repeat(13)}…`);
  });

  it('flattens nested figures into dotted rows in order', () => {
    // Act / Assess
    expect(flattenFigures({ a: { b: 1, c: { d: true } }, e: null, f: [1, 'x'], g: {} })).toEqual([
      ['a.b', '1'],
      ['a.c.d', 'true'],
      ['e', 'null'],
      ['f', '1, x'],
      ['g', '{}'],
    ]);
  });

  it('names chart files after the experiment and chart, file-name safe', () => {
    // Act / Assess
    expect(chartFileName('reverse-proxy-scale-out', 'p50 / p99')).toBe('reverse-proxy-scale-out-p50-p99.svg');
  });
});
