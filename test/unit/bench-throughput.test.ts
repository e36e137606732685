import { serverBuildArgs } from '../../bench/server-bundle';
import { formatRatio, ratioAcrossRounds } from '../../bench/stats';
import { processCpuMs, requestsPerSecond, rotated, routeThroughput, type ThroughputRun } from '../../bench/throughput';

const run = (reqPerSec: number, cpuUsPerRequest = 1e6 / reqPerSec): ThroughputRun => ({ reqPerSec, cpuUsPerRequest });

describe('throughput rounds', () => {
  it('rotates the order of the servers from round to round', () => {
    expect([0, 1, 2, 3].map((round) => rotated(['container', 'hono', 'bare'], round))).toEqual([
      ['container', 'hono', 'bare'],
      ['hono', 'bare', 'container'],
      ['bare', 'container', 'hono'],
      ['container', 'hono', 'bare'],
    ]);
    expect(rotated([], 3)).toEqual([]);
  });

  it('counts only 2xx answers over the measured time', () => {
    expect(requestsPerSecond({ ok: 30_000, durationSeconds: 3 })).toBe(10_000);
    expect(() => requestsPerSecond({ ok: 1, durationSeconds: 0 })).toThrow('requestsPerSecond: duration must be > 0, got 0');
  });

  it('takes the median of per-round ratios, the target being a minimum', () => {
    // Prepare: the container at 0.7x, 0.9x and 0.85x of Hono in three rounds.
    const rounds = [
      { container: run(7000), hono: run(10_000), bare: run(14_000) },
      { container: run(9000), hono: run(10_000), bare: run(12_000) },
      { container: run(8500), hono: run(10_000), bare: run(10_000) },
    ];
    // Act
    const result = routeThroughput(rounds, 0.8);
    // Assess
    expect(result.containerVsHono).toEqual({ value: 0.85, min: 0.7, max: 0.9, target: 0.8, atLeast: true, meetsTarget: true });
    expect(result.reqPerSec.container.median).toBe(8500);
    expect(result.cpuContainerVsHono.value).toBeCloseTo(1 / 0.85, 6);
    expect(result.honoVsBare.max).toBe(1);
  });

  it('fails a route whose target is missed at the median, and says so with ≥', () => {
    const result = routeThroughput([{ container: run(3000), hono: run(10_000), bare: run(20_000) }], 0.8);
    expect(result.containerVsHono.meetsTarget).toBe(false);
    expect(formatRatio(result.containerVsHono)).toBe('0.30x ✘ (target ≥ 0.8x)');
    expect(formatRatio(ratioAcrossRounds([1.2], 1.5))).toBe('1.20x ✔ (target ≤ 1.5x)');
  });

  it('refuses a round in which a baseline served nothing', () => {
    expect(() => routeThroughput([{ container: run(1), hono: run(0, 1), bare: run(1) }], 0.8)).toThrow('routeThroughput: hono measured 0 in a round');
  });
});

describe('processCpuMs', () => {
  it('reads utime + stime in ticks of 10 ms, even with spaces and parentheses in the command name', () => {
    const fields = 'S 1 42 42 0 -1 4194560 100 0 0 0 250 30 0 0 20 0 11 0 1 1 1';
    expect(processCpuMs(`42 (node) ${fields}`)).toBe(2800);
    expect(processCpuMs(`42 (my (odd) name) ${fields}`)).toBe(2800);
    expect(() => processCpuMs('garbage')).toThrow('processCpuMs: not a /proc/<pid>/stat line');
  });
});

describe('serverBuildArgs', () => {
  const script = 'esbuild lambdas/server/container-server.ts --bundle --platform=node --minify --external:pg-native --outfile=dist/container-server/container-server.js';

  it("keeps build:server's flags and replaces its entry and output file", () => {
    expect(serverBuildArgs(script, '/r/bench/fixtures/x.ts', '/tmp/x.js')).toEqual([
      '/r/bench/fixtures/x.ts', '--bundle', '--platform=node', '--minify', '--external:pg-native', '--outfile=/tmp/x.js',
    ]);
  });

  it('refuses a script that is not one esbuild entry', () => {
    expect(() => serverBuildArgs('tsc -p .', 'a.ts', 'a.js')).toThrow('build:server: expected an esbuild command, got "tsc -p ."');
    expect(() => serverBuildArgs('esbuild a.ts b.ts --bundle', 'x.ts', 'x.js')).toThrow('build:server: expected one entry point, got a.ts, b.ts');
  });
});
