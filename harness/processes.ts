/**
 * Registry of every engine process the harness starts. Each one is spawned with its output
 * going to a log file (never to the test output), is stopped by PID (signal, wait, then SIGKILL
 * of the process and its descendants), and is SIGKILLed by a synchronous exit hook if it is
 * still registered when this process exits. `installSignalHandlers()` makes Ctrl-C stop them all.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { looksLikePortInUse, pollUntil, PortInUseError, sleep } from './ports';
import { hostProcess, onHostExit } from './exit-hooks';
import { harnessLogsDir } from './workspace';
import { descendantPids, isAlive, signalQuietly } from './process-tree';

export { descendantPids, isAlive, signalQuietly } from './process-tree';

export interface StopOptions {
  /** @default - the process's `stopSignal` (SIGTERM unless set at start) */
  readonly signal?: NodeJS.Signals;
  /** How long to wait for exit before SIGKILL. @default 10000 */
  readonly timeoutMs?: number;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code, or null when a signal ended the process. Reading it keeps the host alive until then. */
  readonly exited: Promise<number | null>;
  readonly logFile: string;
  isRunning(): boolean;
  /** The last lines of the process's log, for error messages. */
  logTail(lines?: number): string;
  stop(opts?: StopOptions): Promise<void>;
  /** SIGKILL the process and every descendant (a crash). */
  kill(): Promise<void>;
}

export interface StartProcessOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Run as this OS user (root only): the PID we hold is then the engine itself, not a wrapper. */
  readonly uid?: number;
  readonly gid?: number;
  /** @default - `<logs dir>/<name>-<n>.log` */
  readonly logFile?: string;
  /** Signal used by `stop()`; PostgreSQL wants SIGINT (fast shutdown). @default SIGTERM */
  readonly stopSignal?: NodeJS.Signals;
}

const registry = new Map<number, ManagedProcess>();
let logCounter = 0;

onHostExit('kill', () => {
  for (const proc of registry.values()) killTreeSync(proc.pid);
});

/**
 * Spawns `command args` with stdout/stderr appended to a log file and registers it. Throws at once if the command cannot be spawned.
 *
 * @example
 * const proc = startProcess('redis', '/usr/bin/redis-server', [configFile]);
 * await proc.stop();
 */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  opts: StartProcessOptions = {},
): ManagedProcess {
  const logFile = opts.logFile ?? path.join(harnessLogsDir(), `${safeName(name)}-${++logCounter}.log`);
  const fd = fs.openSync(logFile, 'a');
  let child;
  try {
    child = spawn(command, [...args], {
      env: opts.env === undefined ? process.env : { ...opts.env },
      cwd: opts.cwd,
      uid: opts.uid,
      gid: opts.gid,
      // Same process group as the host: a terminal Ctrl-C reaches the engines too, even in a host
      // (a jest worker) that installed no signal handler and so runs no exit hook when interrupted.
      stdio: ['ignore', fd, fd],
    });
  } finally {
    fs.closeSync(fd);
  }
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`cannot start ${name}: ${command} could not be spawned (${spawnError?.message ?? 'no pid'})`);
  }
  // Unref'd: an engine a test forgot to stop must not keep the host alive (the exit hook kills it).
  // Whoever reads `exited` does want to wait, so reading it holds the event loop until the exit.
  child.unref();
  let running = true;
  let keepAlive: NodeJS.Timeout | undefined;
  const exitPromise = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running = false;
      registry.delete(pid);
      clearInterval(keepAlive);
      resolve(code);
    });
  });
  const exited = (): Promise<number | null> => {
    if (running && keepAlive === undefined) keepAlive = setInterval(() => undefined, 60_000);
    return exitPromise;
  };
  const stopSignal = opts.stopSignal ?? 'SIGTERM';

  const kill = async (): Promise<void> => {
    if (!running) return; // its PID may belong to someone else by now
    const tree = [pid, ...descendantPids(pid)];
    for (const p of tree) signalQuietly(p, 'SIGKILL');
    await exited();
    await pollUntil(async () => tree.every((p) => !isAlive(p)), 5000, `${name}: descendants of ${pid} still alive`);
  };

  const proc: ManagedProcess = {
    name,
    pid,
    get exited() {
      return exited();
    },
    logFile,
    isRunning: () => running,
    logTail: (lines = 20) => readLogTail(logFile, lines),
    kill,
    async stop(stopOpts: StopOptions = {}) {
      if (!running) return;
      const descendants = descendantPids(pid);
      signalQuietly(pid, stopOpts.signal ?? stopSignal);
      const timeoutMs = stopOpts.timeoutMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const outcome = await Promise.race([exited(), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') return kill();
      // A child the process did not wait for (a shell's background job) is orphaned, not stopped.
      for (const p of descendants) if (isAlive(p)) signalQuietly(p, 'SIGKILL');
    },
  };
  registry.set(pid, proc);
  return proc;
}

/** Stops every registered process (in parallel), escalating to SIGKILL after `timeoutMs`. */
export async function stopAll(timeoutMs = 10_000): Promise<void> {
  await Promise.all([...registry.values()].map((proc) => proc.stop({ timeoutMs })));
}

/** Processes started by the harness that have not exited yet. */
export function runningProcesses(): { name: string; pid: number }[] {
  return [...registry.values()].filter((p) => p.isRunning()).map(({ name, pid }) => ({ name, pid }));
}

let signalHandlersInstalled = false;

export interface SignalHandlerOptions {
  /**
   * Runs first when a signal arrives (the lab uses it for an experiment's deferred cleanups),
   * bounded by `beforeStopTimeoutMs`; every engine is stopped after it, whether it failed or not.
   * @default - nothing runs before the engines are stopped
   */
  readonly beforeStop?: () => Promise<unknown>;
  /** @default 10000 */
  readonly beforeStopTimeoutMs?: number;
}

/**
 * SIGINT/SIGTERM stop every engine, then exit (130/143); further signals during that bounded stop
 * are ignored. For long-running hosts such as the lab; tests rely on afterAll plus the exit hook
 * instead. Only the first call installs handlers.
 *
 * @example
 * installSignalHandlers({ beforeStop: () => context.close() });
 */
export function installSignalHandlers(options: SignalHandlerOptions = {}): void {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  const host = hostProcess();
  const beforeStop = async (): Promise<void> => {
    if (options.beforeStop === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.beforeStopTimeoutMs ?? 10_000)));
    await Promise.race([options.beforeStop().catch(() => undefined), timeout]);
    clearTimeout(timer);
  };
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals, code: number) => (): void => {
    // A repeated signal (a second Ctrl-C, or a wrapper such as npm or tsx relaying the first one)
    // must not kill the host half-way through its bounded cleanup, leaving folders behind.
    if (stopping) {
      host.stderr.write(`${signal}: already stopping\n`);
      return;
    }
    stopping = true;
    host.stderr.write(`\n${signal}: stopping ${registry.size} engine process(es)...\n`);
    beforeStop()
      .then(() => stopAll(5000))
      .finally(() => host.exit(code));
  };
  host.on('SIGINT', onSignal('SIGINT', 130));
  host.on('SIGTERM', onSignal('SIGTERM', 143));
}

/** An Error for a start that failed, carrying the process's last log lines. */
export function startFailure(proc: ManagedProcess, what: string): Error {
  return new Error(`${proc.name} (pid ${proc.pid}) ${what}; last log lines:\n${proc.logTail()}`);
}

function killTreeSync(pid: number): void {
  for (const p of [pid, ...descendantPids(pid)]) signalQuietly(p, 'SIGKILL');
}

function readLogTail(logFile: string, lines: number): string {
  try {
    const size = fs.statSync(logFile).size;
    const length = Math.min(size, 16 * 1024);
    const buffer = Buffer.alloc(length);
    const fd = fs.openSync(logFile, 'r');
    try {
      fs.readSync(fd, buffer, 0, length, size - length);
    } finally {
      fs.closeSync(fd);
    }
    return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * Polls `isReady` until it returns true while `proc` runs. If the process exits first, throws
 * PortInUseError when its log says the port was taken (so withFreePort retries), otherwise an
 * error with its last log lines; after `timeoutMs` it kills the process and throws.
 */
export async function waitUntilReady(
  proc: ManagedProcess,
  port: number,
  isReady: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    if (!proc.isRunning()) {
      if (looksLikePortInUse(proc.logTail())) throw new PortInUseError(port, proc.logTail(3));
      throw startFailure(proc, 'exited during startup');
    }
    try {
      if (await isReady()) {
        if (proc.isRunning()) return;
        continue; // someone else answered on the port while ours died: report that exit
      }
    } catch (error) {
      lastError = ` (${(error as Error).message})`;
    }
    if (Date.now() > deadline) {
      await proc.kill();
      throw startFailure(proc, `was not ready within ${timeoutMs} ms${lastError}`);
    }
    await sleep(25);
  }
}
