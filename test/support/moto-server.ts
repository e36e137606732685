/**
 * Starts `moto_server` (the Python AWS API emulator) on a free 127.0.0.1 port as a child process,
 * waits until it answers, and stops it by PID. Used by integration tests of AWS control-plane
 * operations (RDS) that no local engine can play.
 *
 * @example
 * const moto = await startMotoServer();
 * const rds = new RDSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
 * // ...
 * await moto.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';

/** Dummy credentials: moto accepts anything, and real ones must never be used against it. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

export interface MotoServer {
  /** `http://127.0.0.1:<port>`: give it to an SDK client as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Resets all emulated state (every service, every region) without restarting. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface MotoServerOptions {
  /** Executable to run. @default 'moto_server' (from PATH) */
  readonly command?: string;
  /** How long to wait for the first answer. @default 20000 */
  readonly startTimeoutMs?: number;
}

/** A port the kernel just handed out; free at the time of the call. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function httpStatus(port: number, method: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const command = options.command ?? 'moto_server';
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const port = await findFreePort();
  // Own process group, so that stop() also ends anything the launcher (e.g. a pyenv shim) forked.
  const child: ChildProcess = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const notInstalled = (): Error =>
    new Error(
      `'${command}' is not installed or not on PATH: install it with 'pip install "moto[server]"' ` +
        '(the RDS failover integration tests need it)',
    );
  const pid = child.pid;
  if (pid === undefined) {
    await new Promise((resolve) => setImmediate(resolve)); // let the 'error' event arrive
    const code = (spawnError as NodeJS.ErrnoException | undefined)?.code;
    throw code === 'ENOENT' ? notInstalled() : new Error(`could not start '${command}': ${spawnError?.message}`);
  }

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const killTimer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 3000);
    await exited;
    clearTimeout(killTimer);
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode === 127) throw notInstalled(); // a shell or pyenv shim found no such command
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited with code ${child.exitCode} before answering:\n${stderr}`);
    }
    const status = await httpStatus(port, 'GET', '/moto-api/').catch(() => 0);
    if (status > 0) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on port ${port} within ${startTimeoutMs} ms:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid,
    async reset() {
      const status = await httpStatus(port, 'POST', '/moto-api/reset');
      if (status !== 200) throw new Error(`moto reset answered HTTP ${status}`);
    },
    stop,
  };
}
