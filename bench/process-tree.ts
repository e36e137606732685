/**
 * Runs one command and measures it as a whole process tree: wall time, CPU time of every
 * descendant (user + system, from bash's `times`, so no `/usr/bin/time` is needed), and peak
 * resident memory of the tree (the sum over all its live processes, sampled from /proc), which is
 * what the machine has to hold while `cdk synth` runs its app, esbuild and tsx side by side.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { descendantPids } from '../harness/processes';

export interface TreeMeasurement {
  readonly wallMs: number;
  /** User + system CPU of the command and every descendant it waited for. */
  readonly cpuMs: number;
  /** Peak of the summed RSS of the tree, sampled every `sampleMs`. */
  readonly peakRssBytes: number;
  readonly exitCode: number | null;
  /** The last `tailBytes` of stdout + stderr, for error messages. */
  readonly outputTail: string;
}

export interface MeasureOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** @default 50 */
  readonly sampleMs?: number;
  /** Kill the tree after this long. @default 180000 */
  readonly timeoutMs?: number;
  /** How much of the end of the output to keep. @default 2048 */
  readonly tailBytes?: number;
}

/** Resident set size of one process in bytes, 0 when it has gone. */
function rssBytes(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

/** Parses the children's line of bash's `times` output ("0m8.210s 0m1.200s") into milliseconds. */
export function parseBashTimes(output: string): number | undefined {
  const lines = output.trim().split('\n').filter((line) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(line.trim()));
  const children = lines[lines.length - 1];
  if (children === undefined) return undefined;
  const seconds = children
    .trim()
    .split(' ')
    .map((part) => {
      const [, minutes, secs] = /^(\d+)m([\d.]+)s$/.exec(part) as RegExpExecArray;
      return Number(minutes) * 60 + Number(secs);
    });
  return Math.round((seconds[0] + seconds[1]) * 1000);
}

/**
 * Runs `command` (a shell command line) under bash and measures its tree.
 *
 * @example
 * const m = await measureTree('npx cdk synth --quiet -o /tmp/out', { cwd: REPO_ROOT });
 * console.log(m.wallMs, m.peakRssBytes);
 */
export async function measureTree(command: string, options: MeasureOptions = {}): Promise<TreeMeasurement> {
  const sampleMs = options.sampleMs ?? 50;
  // `times` on fd 3 keeps the command's own output apart from the CPU figures.
  const script = `${command}\nstatus=$?\ntimes >&3\nexit $status`;
  const started = performance.now();
  const child = spawn('bash', ['-c', script], {
    cwd: options.cwd,
    env: options.env === undefined ? process.env : { ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let times = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-(options.tailBytes ?? 2048));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
    times += chunk.toString('utf8');
  });
  let peak = 0;
  const sample = () => {
    if (child.pid === undefined) return;
    const total = [child.pid, ...descendantPids(child.pid)].reduce((sum, pid) => sum + rssBytes(pid), 0);
    peak = Math.max(peak, total);
  };
  const sampler = setInterval(sample, sampleMs);
  const timer = setTimeout(() => {
    if (child.pid !== undefined) for (const pid of [child.pid, ...descendantPids(child.pid)]) process.kill(pid, 'SIGKILL');
  }, options.timeoutMs ?? 180_000);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  clearInterval(sampler);
  clearTimeout(timer);
  return {
    wallMs: Math.round(performance.now() - started),
    cpuMs: parseBashTimes(times) ?? Number.NaN,
    peakRssBytes: peak,
    exitCode,
    outputTail: output,
  };
}
