/**
 * A TCP proxy that delays every chunk by `delayMs` in each direction: a network link between an
 * app and an engine that share this host, where a round trip otherwise costs ~0.1 ms and drowns
 * in scheduling noise. It runs as its own process (this file, through tsx), so that its timers are
 * not delayed by the load generator of the lab process. Order is kept: Node fires timers of one
 * duration in the order they were set.
 *
 * @example
 * const link = await startLatencyProxy({ targetPort: redis.port, delayMs: 1 }); // ~2 ms round trip
 * const apps = await startAppInstances({ count: 1, env: { ...redis.appEnv(), REDIS_PORT: String(link.port) } });
 * await link.stop();
 */
import * as net from 'node:net';
import * as path from 'node:path';
import { isPortOpen, withFreePort } from './ports';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes';

export interface LatencyProxyOptions {
  readonly targetPort: number;
  /** @default '127.0.0.1' */
  readonly targetHost?: string;
  /** Added to each direction, so a request-response round trip gains about twice this. Integer ms, 0-1000. */
  readonly delayMs: number;
}

export interface LatencyProxy {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly delayMs: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts the proxy process on a free port and resolves once it accepts connections. */
export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const { delayMs, targetPort } = options;
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 1000) throw new Error(`delayMs=${delayMs}: expected an integer from 0 to 1000`);
  const target = `${options.targetHost ?? '127.0.0.1'}:${targetPort}`;
  return withFreePort(async (port) => {
    const proc: ManagedProcess = startProcess(`latency-proxy-${port}`, process.execPath, [
      '--import', 'tsx', __filename, String(port), target, String(delayMs),
    ], { cwd: path.resolve(__dirname, '..'), env: { PATH: process.env.PATH } });
    await waitUntilReady(proc, port, () => isPortOpen(port), 15_000);
    return { host: '127.0.0.1' as const, port, delayMs, pid: proc.pid, stop: () => proc.stop({ timeoutMs: 5000 }) };
  });
}

/** Forwards `from` to `to`, each chunk (and the end) `delayMs` later. */
function pipeDelayed(from: net.Socket, to: net.Socket, delayMs: number): void {
  from.on('data', (chunk) => setTimeout(() => to.write(chunk), delayMs));
  from.on('end', () => setTimeout(() => to.end(), delayMs));
}

/** The proxy itself: `node --import tsx latency-proxy.ts <listenPort> <host:port> <delayMs>`. */
function serve(listenPort: number, targetHost: string, targetPort: number, delayMs: number): void {
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: targetHost, port: targetPort });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    pipeDelayed(client, upstream, delayMs);
    pipeDelayed(upstream, client, delayMs);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', () => setTimeout(() => upstream.destroy(), delayMs));
    upstream.on('close', () => setTimeout(() => client.destroy(), delayMs));
  });
  server.listen({ host: '127.0.0.1', port: listenPort, exclusive: true });
  process.once('SIGTERM', () => process.exit(0));
}

if (require.main === module) {
  const [listen, target, delay] = process.argv.slice(2);
  const [host, port] = target.split(':');
  serve(Number(listen), host, Number(port), Number(delay));
}
