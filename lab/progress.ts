/**
 * What a person watching `npm run lab` sees: a header per experiment, its progress lines with the
 * time elapsed, and a one-line verdict. Plain lines only (no cursor movement), so a CI log reads
 * the same as a terminal; colour only on a TTY, and never with NO_COLOR set.
 */
import type { Experiment } from './experiment';

export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressReporterOptions {
  /** @default process.stderr */
  readonly out?: ProgressSink;
  /** @default - on a TTY unless NO_COLOR is set */
  readonly colour?: boolean;
  /** Milliseconds clock. @default Date.now */
  readonly now?: () => number;
}

export interface Verdict {
  readonly holds: boolean;
  readonly durationMs: number;
  /** The figure a reader wants first, e.g. `throughput: 1=9.8, 2=19.5, 4=38.7`. */
  readonly keyFigures: string;
  /** Set when the experiment failed to run (threw, timed out, left processes behind). */
  readonly error?: string;
}

const ANSI = { green: '\u001b[32m', red: '\u001b[31m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' };

/**
 * Formats the runner's output.
 *
 * @example
 * const progress = new ProgressReporter();
 * progress.header(3, 10, experiment);    // [3/10] read-replica-lag — Async replicas serve stale data ...
 * progress.line('starting 2 replicas');  //   [  0.4s] starting 2 replicas
 * progress.verdict({ holds: true, durationMs: 12_300, keyFigures: 'staleReads: ...' });
 */
export class ProgressReporter {
  private readonly out: ProgressSink;
  private readonly colour: boolean;
  private readonly now: () => number;
  private startedAt: number;

  constructor(options: ProgressReporterOptions = {}) {
    this.out = options.out ?? process.stderr;
    this.colour = options.colour ?? (this.out.isTTY === true && process.env.NO_COLOR === undefined);
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** `[3/10] read-replica-lag — <claim>`; restarts the elapsed-time clock. */
  header(index: number, total: number, experiment: Pick<Experiment, 'id' | 'claim'>): void {
    this.startedAt = this.now();
    this.write(`\n${this.paint('bold', `[${index}/${total}] ${experiment.id}`)} — ${experiment.claim}`);
  }

  /** A progress line of the running experiment, with the seconds since its header. */
  line(message: string): void {
    const seconds = ((this.now() - this.startedAt) / 1000).toFixed(1).padStart(5);
    this.write(`  ${this.paint('dim', `[${seconds}s]`)} ${message}`);
  }

  verdict(verdict: Verdict): void {
    const seconds = `${(verdict.durationMs / 1000).toFixed(1)} s`;
    const outcome =
      verdict.error !== undefined
        ? this.paint('red', `✘ failed (${seconds}): ${verdict.error}`)
        : verdict.holds
          ? this.paint('green', `✔ holds (${seconds})`)
          : this.paint('red', `✘ does not hold (${seconds})`);
    this.write(`  ${outcome}${verdict.keyFigures === '' ? '' : ` · ${verdict.keyFigures}`}`);
  }

  /** A line outside any experiment (start, summary). */
  info(message: string): void {
    this.write(message);
  }

  private paint(style: keyof typeof ANSI, text: string): string {
    return this.colour ? `${ANSI[style]}${text}${ANSI.reset}` : text;
  }

  private write(text: string): void {
    this.out.write(`${text}\n`);
  }
}
