import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlive, runningProcesses, startProcess } from '../../harness/processes';
import { EXPERIMENT_IDS, type Experiment, type ExperimentId, type ExperimentResult } from '../../lab/experiment';
import { ProgressReporter } from '../../lab/progress';
import { main, parseLabArgs, runExperiments, USAGE } from '../../lab/run-lab';

const VALID_IDS = EXPERIMENT_IDS.join(', ');

/** A reporter writing into an array, no colour, clock frozen at 0. */
function captured(): { reporter: ProgressReporter; lines: string[] } {
  const lines: string[] = [];
  const reporter = new ProgressReporter({ out: { write: (text: string) => lines.push(...text.trimEnd().split('\n')) }, colour: false, now: () => 0 });
  return { reporter, lines };
}

function fake(id: ExperimentId, run: Experiment['run']): Experiment {
  return { id, title: `Fake ${id}`, claim: `Claim of ${id}.`, run };
}

const holding: ExperimentResult = { figures: { lost: { memory: 3, redis: 0 } }, holds: true, details: 'Fine.' };

describe('parseLabArgs', () => {
  it('defaults to every experiment, full mode, lab-report/', () => {
    // Act / Assess
    expect(parseLabArgs([])).toEqual({ quick: false, help: false, out: 'lab-report', only: [] });
  });

  it('takes --quick, --out and --only (repeated, comma lists, = form) in registry order without duplicates', () => {
    // Act
    const args = parseLabArgs(['--quick', '--only', 'counters,reverse-proxy-scale-out', '--only=read-replica-lag', '--out=/tmp/r', '--only', 'reverse-proxy-scale-out']);
    // Assess
    expect(args).toEqual({ quick: true, help: false, out: '/tmp/r', only: ['reverse-proxy-scale-out', 'read-replica-lag', 'counters'] });
  });

  it.each([
    [['--only', 'nope'], `unknown experiment "nope"; valid ids: ${VALID_IDS}`],
    [['--only', 'a,reverse-proxy-scale-out,b'], `unknown experiments "a", "b"; valid ids: ${VALID_IDS}`],
    [['--only'], `--only needs an experiment id (${VALID_IDS})`],
    [['--only', '--quick'], `--only needs an experiment id (${VALID_IDS})`],
    [['--out'], '--out needs a directory'],
    [['--out='], '--out needs a directory'],
    [['--fast'], 'unknown option "--fast"; valid options: --quick, --only <id>, --out <dir>, --help'],
    [['reverse-proxy-scale-out'], 'unexpected argument "reverse-proxy-scale-out"; experiments are chosen with --only <id>'],
  ])('rejects %j with an exact message', (argv, message) => {
    // Act / Assess
    expect(() => parseLabArgs(argv)).toThrow(message);
  });
});

describe('main', () => {
  it('exits 2 on a usage error, printing the problem and the usage', async () => {
    // Prepare
    const { reporter, lines } = captured();
    // Act
    const code = await main(['--only', 'nope'], reporter);
    // Assess
    expect(code).toBe(2);
    expect(lines[0]).toBe(`lab: unknown experiment "nope"; valid ids: ${VALID_IDS}`);
    expect(lines.join('\n')).toContain(USAGE);
  });

  it('exits 0 on --help after printing the usage', async () => {
    // Prepare
    const { reporter, lines } = captured();
    // Act
    const code = await main(['--help'], reporter);
    // Assess
    expect(code).toBe(0);
    expect(lines.join('\n')).toBe(USAGE);
  });
});

describe('runExperiments', () => {
  let scratchRoot: string;

  beforeEach(() => {
    scratchRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-runner-test-'));
  });

  afterEach(() => {
    fs.rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('records a throwing experiment as not holding, runs its cleanups, and goes on with the next', async () => {
    // Prepare
    const { reporter, lines } = captured();
    const cleaned: string[] = [];
    let scratchDir = '';
    const throwing = fake('reverse-proxy-scale-out', async (ctx) => {
      scratchDir = ctx.scratchDir;
      ctx.defer(async () => cleaned.push('first'));
      ctx.defer(async () => cleaned.push('second'));
      ctx.progress('about to fail');
      throw new Error('boom');
    });
    const fine = fake('sessions-instance-loss', async () => holding);
    // Act
    const outcomes = await runExperiments([throwing, fine], { quick: true, reporter, scratchRoot });
    // Assess
    expect(outcomes.map((o) => [o.id, o.holds])).toEqual([['reverse-proxy-scale-out', false], ['sessions-instance-loss', true]]);
    expect(outcomes[0].details).toBe('The experiment failed: boom.');
    expect(outcomes[0].figures).toEqual({});
    expect(cleaned).toEqual(['second', 'first']);
    expect(fs.existsSync(scratchDir)).toBe(false);
    const durationsHidden = lines.map((line) => line.replace(/\(\d+\.\d s\)/, '(# s)'));
    expect(durationsHidden).toEqual([
      '',
      '[1/2] reverse-proxy-scale-out — Claim of reverse-proxy-scale-out.',
      '  [  0.0s] about to fail',
      '  ✘ failed (# s): boom',
      '',
      '[2/2] sessions-instance-loss — Claim of sessions-instance-loss.',
      '  ✔ holds (# s) · lost: memory=3, redis=0',
    ]);
  });

  it('keeps the figures and details of an experiment whose claim did not hold', async () => {
    // Prepare
    const { reporter } = captured();
    const notHolding = fake('cache-aside', async () => ({ ...holding, holds: false, details: 'Hit latency was not lower.' }));
    // Act
    const [outcome] = await runExperiments([notHolding], { quick: false, reporter, scratchRoot });
    // Assess
    expect(outcome).toMatchObject({ holds: false, details: 'Hit latency was not lower.', figures: holding.figures });
  });

  it('fails an experiment that outlives its timeout, and still runs its cleanups', async () => {
    // Prepare
    const { reporter } = captured();
    let cleaned = false;
    const hanging = fake('read-replica-lag', (ctx) => {
      ctx.defer(async () => (cleaned = true));
      return new Promise<ExperimentResult>(() => undefined);
    });
    // Act
    const [outcome] = await runExperiments([hanging], { quick: true, reporter, scratchRoot, timeoutMs: 200 });
    // Assess
    expect(outcome.holds).toBe(false);
    expect(outcome.details).toBe('The experiment failed: timed out after 0.2 s.');
    expect(cleaned).toBe(true);
  });

  it('fails an experiment whose result has no boolean verdict', async () => {
    // Prepare
    const { reporter } = captured();
    const sloppy = fake('counters', async () => ({ figures: {}, holds: 'yes', details: '' }) as unknown as ExperimentResult);
    // Act
    const [outcome] = await runExperiments([sloppy], { quick: true, reporter, scratchRoot });
    // Assess
    expect(outcome.holds).toBe(false);
    expect(outcome.details).toBe('The experiment failed: holds is "yes", expected true or false.');
  });

  it('fails an experiment that leaves an engine process running, and stops it', async () => {
    // Prepare
    const { reporter } = captured();
    let pid = 0;
    const leaky = fake('multi-master', async () => {
      pid = startProcess('forgotten-engine', 'sleep', ['30']).pid;
      return holding;
    });
    // Act
    const [outcome] = await runExperiments([leaky], { quick: true, reporter, scratchRoot });
    // Assess
    expect(outcome.holds).toBe(false);
    expect(outcome.details).toBe(`The experiment failed: left 1 engine process(es) running: forgotten-engine (pid ${pid}). Fine.`);
    expect(runningProcesses()).toEqual([]);
    expect(isAlive(pid)).toBe(false);
  });

  it('stops at an interruption without recording the interrupted experiment', async () => {
    // Prepare
    const { reporter, lines } = captured();
    const interruption = new AbortController();
    let cleaned = false;
    const interrupted = fake('reverse-proxy-scale-out', async (ctx) => {
      ctx.defer(async () => (cleaned = true));
      interruption.abort(); // what the Ctrl-C handler does
      throw new Error('engine exited during startup');
    });
    const next = fake('sessions-instance-loss', async () => holding);
    // Act
    const outcomes = await runExperiments([interrupted, next], { quick: true, reporter, scratchRoot, signal: interruption.signal });
    // Assess
    expect(outcomes).toEqual([]);
    expect(cleaned).toBe(true);
    expect(lines.slice(-1)).toEqual(['  [  0.0s] interrupted']);
  });

  it('tells the caller which context is running, for Ctrl-C cleanup', async () => {
    // Prepare
    const { reporter } = captured();
    const seen: Array<string | undefined> = [];
    const fine = fake('reverse-proxy-scale-out', async (ctx) => {
      seen.push(`running in ${path.basename(ctx.scratchDir).replace(/-[^-]+$/, '')}`);
      return holding;
    });
    // Act
    await runExperiments([fine], { quick: true, reporter, scratchRoot, onContext: (c) => seen.push(c === undefined ? undefined : 'context') });
    // Assess
    expect(seen).toEqual(['context', 'running in lab-reverse-proxy-scale-out', undefined]);
  });
});
