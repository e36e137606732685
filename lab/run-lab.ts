/**
 * `npm run lab`: runs the experiments one after another on real local engines (they would compete
 * for the cores otherwise), shows their progress, and writes the report. Exit code 0 when every
 * experiment ran and its claim held, 1 otherwise, 2 on a usage error.
 *
 * Ctrl-C (or a failure) runs the current experiment's deferred cleanups, then stops every engine;
 * the run ends by checking that no engine process is left.
 *
 * Run: `npm run lab -- --quick --only reverse-proxy-scale-out,sessions-instance-loss --out lab-report`
 */
import * as path from 'node:path';
import { installSignalHandlers, runningProcesses, stopAll } from '../harness/processes';
import { commandLine } from '../toolkit/command-line';
import { createLabContext, type LabContext } from './context';
import { EXPERIMENT_IDS, type Experiment, type ExperimentId, type ExperimentResult } from './experiment';
import { describeMachine } from './machine';
import { ProgressReporter } from './progress';
import { keyFigures, writeReport, type ExperimentOutcome } from './report';

export const USAGE = `Usage: npm run lab -- [--quick] [--only <id>[,<id>...]] [--out <dir>] [--help]

  --quick        CI sizes: every experiment in a few seconds, the whole run in under 3 minutes
  --only <id>    run only these experiments (repeatable, or a comma list)
  --out <dir>    where report.json, report.md and charts/ go (default: lab-report)
  --help         this text

Experiments: ${EXPERIMENT_IDS.join(', ')}`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface LabArgs {
  readonly quick: boolean;
  /** Ids to run, in registry order; empty = all. */
  readonly only: readonly ExperimentId[];
  readonly out: string;
  readonly help: boolean;
}

/**
 * Parses the command line (node:util parseArgs); throws UsageError with a message naming what was given and what is allowed.
 *
 * @example
 * parseLabArgs(['--quick', '--only', 'reverse-proxy-scale-out,cache-aside']); // { quick: true, only: [...], out: 'lab-report', help: false }
 */
export function parseLabArgs(argv: readonly string[]): LabArgs {
  let quick = false;
  let help = false;
  let out = 'lab-report';
  const requested: string[] = [];
  for (const item of commandLine(argv, { quick: 'boolean', help: 'boolean', out: 'string', only: 'string' })) {
    switch (item.kind) {
      case 'flag':
        if (item.name === 'quick') quick = true;
        else help = true;
        break;
      case 'value': {
        const what = item.name === 'out' ? 'a directory' : `an experiment id (${EXPERIMENT_IDS.join(', ')})`;
        if (item.value === undefined) throw new UsageError(`--${item.name} needs ${what}`);
        if (item.name === 'out') out = item.value;
        else requested.push(...item.value.split(',').map((id) => id.trim()).filter((id) => id !== ''));
        break;
      }
      case 'unknown':
        throw new UsageError(`unknown option "${item.option}"; valid options: --quick, --only <id>, --out <dir>, --help`);
      case 'positional':
        throw new UsageError(`unexpected argument "${item.value}"; experiments are chosen with --only <id>`);
    }
  }
  const unknown = requested.filter((id) => !(EXPERIMENT_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown experiment${unknown.length === 1 ? '' : 's'} ${unknown.map((id) => `"${id}"`).join(', ')}; valid ids: ${EXPERIMENT_IDS.join(', ')}`,
    );
  }
  return { quick, help, out, only: EXPERIMENT_IDS.filter((id) => requested.includes(id)) };
}

export interface RunExperimentsOptions {
  readonly quick: boolean;
  readonly reporter: ProgressReporter;
  /** An experiment still running after this long fails (its cleanups still run). @default 120 s quick, 600 s full */
  readonly timeoutMs?: number;
  /** Parent of the experiments' scratch directories. @default the OS temp dir */
  readonly scratchRoot?: string;
  /** Told of the running experiment's context (undefined between experiments), for Ctrl-C cleanup. */
  readonly onContext?: (context: LabContext | undefined) => void;
  /** Aborted on Ctrl-C: the run stops, and the interrupted experiment is not recorded. */
  readonly signal?: AbortSignal;
}

/**
 * Runs each experiment in its own context and always closes it. An experiment that throws, times
 * out, returns a malformed result or leaves engine processes running is recorded as not holding,
 * with the reason in its details, and the run goes on.
 *
 * @example
 * const outcomes = await runExperiments([reverseProxyScaleOutExperiment], { quick: true, reporter: new ProgressReporter() });
 */
export async function runExperiments(experiments: readonly Experiment[], options: RunExperimentsOptions): Promise<ExperimentOutcome[]> {
  const { reporter } = options;
  const timeoutMs = options.timeoutMs ?? (options.quick ? 120_000 : 600_000);
  const outcomes: ExperimentOutcome[] = [];
  for (const [index, experiment] of experiments.entries()) {
    if (options.signal?.aborted) break;
    reporter.header(index + 1, experiments.length, experiment);
    const context = createLabContext(experiment.id, { quick: options.quick, onProgress: (m) => reporter.line(m), scratchRoot: options.scratchRoot });
    options.onContext?.(context);
    const started = Date.now();
    let result: ExperimentResult | undefined;
    const problems: string[] = [];
    try {
      result = checkResult(await withTimeout(experiment.run(context), timeoutMs, `timed out after ${Number((timeoutMs / 1000).toFixed(1))} s`));
    } catch (error) {
      problems.push(messageOf(error));
    } finally {
      await context.close((error) => reporter.line(`cleanup failed: ${messageOf(error)}`));
      options.onContext?.(undefined);
    }
    if (options.signal?.aborted) {
      // Its failure is the interruption's doing, and the signal handler is stopping the engines.
      reporter.line('interrupted');
      break;
    }
    const leftover = runningProcesses();
    if (leftover.length > 0) {
      problems.push(`left ${leftover.length} engine process(es) running: ${leftover.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}`);
      await stopAll(5000);
    }
    const durationMs = Date.now() - started;
    const error = problems.length > 0 ? problems.join('; ') : undefined;
    const outcome: ExperimentOutcome = {
      id: experiment.id,
      title: experiment.title,
      claim: experiment.claim,
      figures: result?.figures ?? {},
      holds: error === undefined && result?.holds === true,
      details: error === undefined ? (result?.details ?? '') : `The experiment failed: ${error}.${result === undefined ? '' : ` ${result.details}`}`,
      durationMs,
      chartSpecs: result?.charts ?? [],
    };
    reporter.verdict({ holds: outcome.holds, durationMs, keyFigures: keyFigures(outcome.figures), error });
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Rejects a result the report could not show (a typo in an experiment must not pass as a verdict). */
function checkResult(result: ExperimentResult): ExperimentResult {
  if (result === null || typeof result !== 'object') throw new Error(`run() returned ${String(result)}, expected an ExperimentResult`);
  if (typeof result.holds !== 'boolean') throw new Error(`holds is ${JSON.stringify(result.holds)}, expected true or false`);
  if (result.figures === null || typeof result.figures !== 'object') throw new Error('figures is missing');
  return result;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), timeoutMs)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The CLI; resolves with the exit code. */
export async function main(argv: readonly string[], reporter = new ProgressReporter()): Promise<number> {
  let args: LabArgs;
  try {
    args = parseLabArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    reporter.info(`lab: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    reporter.info(USAGE);
    return 0;
  }
  let current: LabContext | undefined;
  const interruption = new AbortController();
  installSignalHandlers({
    beforeStop: async () => {
      interruption.abort();
      await current?.close();
    },
  });
  // Loaded here, not at the top: the parsing and the runner above stay importable (and unit-testable)
  // without loading every experiment and its engines.
  const { EXPERIMENTS } = require('./experiments/index') as typeof import('./experiments/index');
  const selected = args.only.length === 0 ? EXPERIMENTS : EXPERIMENTS.filter((e) => args.only.includes(e.id));
  const startedAt = new Date();
  const machine = await describeMachine();
  reporter.info(`lab: ${selected.length} experiment(s), ${args.quick ? 'quick' : 'full'} mode`);
  const outcomes = await runExperiments(selected, { quick: args.quick, reporter, onContext: (c) => (current = c), signal: interruption.signal });
  if (interruption.signal.aborted) {
    reporter.info('lab: interrupted, no report written');
    await stopAll(5000); // the signal handler is at it too: exit once the engines are gone
    return 130;
  }
  await stopAll(5000);
  const leftover = runningProcesses();
  const { report, markdownFile } = writeReport(
    args.out,
    { machine, mode: args.quick ? 'quick' : 'full', startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime() },
    outcomes,
  );
  const held = report.experiments.filter((e) => e.holds).length;
  reporter.info(`\nlab: ${held} of ${report.experiments.length} claims held in ${(report.durationMs / 1000).toFixed(1)} s`);
  reporter.info(
    leftover.length === 0
      ? 'lab: no engine process left running'
      : `lab: FAILURE, engine processes still running: ${leftover.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}`,
  );
  reporter.info(`lab: report written to ${path.resolve(markdownFile)} (and report.json, charts/)`);
  return held === report.experiments.length && leftover.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`lab: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      stopAll(5000).finally(() => process.exit(1));
    },
  );
}
