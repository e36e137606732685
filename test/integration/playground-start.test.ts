/**
 * `npm start` as a person runs it: started in its own process group, stopped with Ctrl-C (SIGINT to
 * the whole group, as a terminal sends it). Afterwards no process it started is alive, its port is
 * closed, and its scratch folder (HARNESS_TMP_DIR) is empty. Plus the two ways it refuses to start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { descendantPids, freePort, isAlive, isPortOpen, pollUntil } from '../../harness';

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
  beforeEach(() => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-start-'));
  });
  afterEach(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

  it('prints one address, then stops everything on Ctrl-C', async () => {
    const port = await freePort();
    const run = npmStart(['--port', String(port)], tmpDir);
    try {
      await pollUntil(async () => run.output().includes('Ready in'), 120_000, 'npm start never printed "Ready in"');
    } catch (error) {
      process.kill(-(run.child.pid as number), 'SIGKILL');
      throw new Error(`${(error as Error).message}; output:\n${run.output()}`);
    }
    expect(run.output()).toContain(`Open http://127.0.0.1:${port}/`);
    expect(run.output()).toContain('Stop with Ctrl-C');
    const pids = descendantPids(run.child.pid as number);
    expect(pids.length).toBeGreaterThanOrEqual(12); // node, HAProxy, 6 app instances, 3 postgres, redis, 2 dynalite

    process.kill(-(run.child.pid as number), 'SIGINT');
    await run.exited;

    expect(pids.filter(isAlive)).toEqual([]);
    expect(await isPortOpen(port)).toBe(false);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
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
