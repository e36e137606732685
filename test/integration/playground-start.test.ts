/**
 * `npm start` as a person runs it: started in its own process group, stopped with Ctrl-C (SIGINT to
 * the whole group, as a terminal sends it) or `kill -TERM` to npm alone, each repeated mid-stop.
 * Afterwards no process it started is alive, its port is closed, and its scratch folder
 * (HARNESS_TMP_DIR) is empty. Plus the two ways it refuses to start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { descendantPids, freePort, isAlive, isPortOpen, pollUntil, signalQuietly } from '../../harness';

jest.setTimeout(150_000);

const REPO_ROOT = path.resolve(__dirname, '..', '..');

interface Run {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function npmStart(args: readonly string[], tmpDir: string): Run {
  let output = '';
  const child = spawn('npm', ['start', '--silent', '--', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, HARNESS_TMP_DIR: tmpDir },
    detached: true, // its own process group, like a command in a terminal
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('npm start', () => {
  let tmpDir: string;
  /** Processes a failed test may have left running: SIGKILLed before the next test. */
  let started: number[] = [];
  beforeEach(() => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-start-'));
  });
  afterEach(async () => {
    for (const pid of started.filter(isAlive)) signalQuietly(pid, 'SIGKILL');
    await pollUntil(async () => !started.some(isAlive), 10_000, 'leftover processes survived SIGKILL');
    started = [];
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  /** Starts `npm start` and waits for its banner; the process tree is read once it is ready. */
  async function startReady(port: number): Promise<Run> {
    const run = npmStart(['--port', String(port)], tmpDir);
    try {
      await pollUntil(async () => run.output().includes('Ready in'), 120_000, 'npm start never printed "Ready in"');
    } catch (error) {
      process.kill(-(run.child.pid as number), 'SIGKILL');
      throw new Error(`${(error as Error).message}; output:\n${run.output()}`);
    }
    return run;
  }

  /** The command line of a process, as `ps` shows it. */
  const commandLine = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  const parentOf = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);

  // npm relays SIGINT and SIGTERM to the one process it spawned. Were that a shell, the shell would
  // die and orphan the playground unsignalled; were it tsx's CLI, tsx would SIGKILL the playground
  // when its acknowledgement of the signal took over 30 ms (a loaded machine), mid-cleanup.
  it.each([
    ['SIGINT', 'to the whole process group, as Ctrl-C in a terminal', (npm: number): boolean => process.kill(-npm, 'SIGINT')],
    ['SIGTERM', 'to the npm process alone, as kill -TERM <pid>', (npm: number): boolean => process.kill(npm, 'SIGTERM')],
  ] as const)('prints one address, then %s %s stops every process it started, even with a second signal mid-stop', async (_signal, _how, send) => {
    const port = await freePort();
    const run = await startReady(port);
    const npm = run.child.pid as number;
    expect(run.output()).toContain(`Open http://127.0.0.1:${port}/`);
    expect(run.output()).toContain('Stop with Ctrl-C');
    const pids = descendantPids(npm);
    started = pids;
    expect(pids.length).toBeGreaterThanOrEqual(12); // node, HAProxy, 6 app instances, 3 postgres, redis, 2 dynalite
    const direct = pids.filter((pid) => parentOf(pid) === npm).map(commandLine);

    send(npm);
    await pollUntil(async () => /stopping \d+ engine/.test(run.output()), 30_000, 'the playground never said it was stopping');
    send(npm); // impatience: a second Ctrl-C must not cut the cleanup short
    await run.exited;

    expect(pids.filter(isAlive).map(commandLine)).toEqual([]);
    expect(await isPortOpen(port)).toBe(false);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
    // Why it holds: npm's one child is the playground itself, with its own signal handlers.
    expect(direct).toEqual([expect.stringMatching(/^node .*scripts\/start\.ts/)]);
  });

  it('refuses a port in use, naming it', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const run = npmStart(['--port', String(port)], tmpDir);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`port ${port} is already in use: stop what listens there, or choose another with --port`);
    } finally {
      blocker.close();
    }
  });

  it('refuses bad flags with every problem and the usage', async () => {
    const run = npmStart(['--fargate', '9', '--session', 'disk'], tmpDir);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('--fargate: got "9"; allowed: an integer from 1 to 6');
    expect(run.output()).toContain('--session: got "disk"; allowed: redis, memory, cookie');
    expect(run.output()).toContain('Usage: npm start -- [options]');
  });
});
