/**
 * `moto_server` (the Python AWS API emulator) on a free 127.0.0.1 port, started through the
 * harness's process registry like every other engine, so `stopAll()` and the exit hook reach it.
 * Used by integration tests of AWS control-plane operations (RDS failover, Secrets Manager) that
 * no local engine can play.
 *
 * @example
 * const moto = await startMotoServer();
 * const rds = new RDSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
 * // ...
 * await moto.stop();
 */
import * as http from 'node:http';
import { withFreePort } from './ports';
import { startProcess, waitUntilReady } from './processes';

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

export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const command = options.command ?? 'moto_server';
  const notInstalled = (): Error =>
    new Error(`'${command}' is not installed or not on PATH: install it with 'pip install "moto[server]"' (the RDS failover integration tests need it)`);
  return withFreePort(async (port) => {
    let proc;
    try {
      proc = startProcess(`moto-${port}`, command, ['-H', '127.0.0.1', '-p', String(port)]);
    } catch (error) {
      // spawn reports a missing command asynchronously, so startProcess sees only that no PID came back.
      throw /ENOENT|no pid/.test((error as Error).message) ? notInstalled() : error;
    }
    const ready = proc;
    try {
      await waitUntilReady(ready, port, async () => (await motoStatus(port, 'GET', '/moto-api/')) > 0, options.startTimeoutMs ?? 20_000);
    } catch (error) {
      // A shell or pyenv shim that found no such command exits with 127.
      if (!ready.isRunning() && (await ready.exited) === 127) throw notInstalled();
      throw error;
    }
    return {
      endpoint: `http://127.0.0.1:${port}`,
      port,
      pid: ready.pid,
      async reset() {
        const status = await motoStatus(port, 'POST', '/moto-api/reset');
        if (status !== 200) throw new Error(`moto reset answered HTTP ${status}`);
      },
      stop: () => ready.stop({ timeoutMs: 3000 }),
    };
  });
}

/** The status of one bodiless request to moto (its control API takes POST, which `httpGet` does not send). */
function motoStatus(port: number, method: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, timeout: 1000, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
