import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { isAlive, runningProcesses, startProcess, stopAll } from '../../harness/processes';
import { pollUntil } from '../../harness/ports';

const execFileAsync = promisify(execFile);
const LEAKY_HOST = path.join(__dirname, 'fixtures', 'leaky-host.ts');

describe('processes', () => {
  afterAll(async () => {
    await stopAll(1000);
  });

  it('writes a process output to its log file, not to the test output', async () => {
    // Prepare
    const proc = startProcess('echo', 'sh', ['-c', 'echo to-stdout; echo to-stderr >&2']);
    // Act
    const code = await proc.exited;
    // Assess
    expect(code).toBe(0);
    expect(proc.logTail()).toBe('to-stdout\nto-stderr');
  });

  it('fails at once when the command does not exist', () => {
    // Prepare / Act
    const start = (): unknown => startProcess('missing', '/nonexistent/binary', []);
    // Assess
    expect(start).toThrow('cannot start missing: /nonexistent/binary could not be spawned');
  });

  it('escalates to SIGKILL of the whole tree when a process ignores the stop signal', async () => {
    // Prepare: a shell that ignores SIGTERM, with a child of its own
    const proc = startProcess('stubborn', 'sh', ['-c', 'trap "" TERM; sleep 60 & echo $!; wait']);
    await pollUntil(async () => proc.logTail().trim() !== '', 5000, 'child pid not printed');
    const child = Number(proc.logTail().trim());
    // Act
    await proc.stop({ timeoutMs: 300 });
    // Assess
    expect(proc.isRunning()).toBe(false);
    expect(isAlive(proc.pid)).toBe(false);
    expect(isAlive(child)).toBe(false);
  });

  it('stopAll stops every registered process and runningProcesses() is then empty', async () => {
    // Prepare
    const procs = [startProcess('a', 'sleep', ['60']), startProcess('b', 'sleep', ['60'])];
    const listed = runningProcesses().map((p) => p.name);
    // Act
    await stopAll();
    // Assess
    expect(listed).toEqual(expect.arrayContaining(['a', 'b']));
    expect(runningProcesses()).toEqual([]);
    expect(procs.map((p) => isAlive(p.pid))).toEqual([false, false]);
  });

  it('kills every engine of a host that exits without stopping them', async () => {
    // Prepare / Act
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', LEAKY_HOST, 'exit'], { timeout: 20_000 });
    const { pids } = JSON.parse(stdout) as { pids: number[] };
    // Assess
    expect(pids).toHaveLength(3);
    await pollUntil(async () => pids.every((pid) => !isAlive(pid)), 2000, 'leaked processes still alive');
  });

  it('stops every engine of a host that receives SIGINT once signal handlers are installed', async () => {
    // Prepare
    const host = execFile(process.execPath, ['--import', 'tsx', LEAKY_HOST, 'signal']);
    const firstLine = new Promise<string>((resolve) => host.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    const exitCode = new Promise<number | null>((resolve) => host.once('exit', resolve));
    const { pids } = JSON.parse(await firstLine) as { pids: number[] };
    // Act
    host.kill('SIGINT');
    // Assess
    expect(await exitCode).toBe(130);
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  }, 20_000);

  it('runs the beforeStop hook on SIGINT while the engines still run, then stops them', async () => {
    // Prepare
    const host = execFile(process.execPath, ['--import', 'tsx', LEAKY_HOST, 'signal-hook']);
    const lines: string[] = [];
    const firstLine = new Promise<string>((resolve) =>
      host.stdout?.on('data', (chunk: Buffer) => {
        lines.push(...chunk.toString().trim().split('\n'));
        resolve(lines[0]);
      }),
    );
    // 'close', not 'exit': the hook's line must have been read too.
    const exitCode = new Promise<number | null>((resolve) => host.once('close', resolve));
    const { pids } = JSON.parse(await firstLine) as { pids: number[] };
    // Act
    host.kill('SIGINT');
    // Assess
    expect(await exitCode).toBe(130);
    expect(lines.slice(1).map((line) => JSON.parse(line) as unknown)).toEqual([{ beforeStopSaw: 2 }]);
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  }, 20_000);

  it('finishes its cleanup when a second signal arrives during it (npm and tsx relay Ctrl-C)', async () => {
    // Prepare
    const host = execFile(process.execPath, ['--import', 'tsx', LEAKY_HOST, 'signal-hook']);
    const output: string[] = [];
    const firstLine = new Promise<string>((resolve) =>
      host.stdout?.on('data', (chunk: Buffer) => {
        output.push(chunk.toString());
        resolve(output[0]);
      }),
    );
    const ended = new Promise<[number | null, string | null]>((resolve) => host.once('close', (code, signal) => resolve([code, signal])));
    const { pids } = JSON.parse((await firstLine).split('\n')[0]) as { pids: number[] };
    // Act
    host.kill('SIGINT');
    await pollUntil(async () => output.join('').includes('beforeStopSaw'), 5000, 'beforeStop did not start');
    host.kill('SIGINT');
    // Assess: an exit code (the handler's), not death by the second signal
    expect(await ended).toEqual([130, null]);
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  }, 20_000);
});
