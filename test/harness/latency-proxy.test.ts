import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import { startLatencyProxy, type LatencyProxy } from '../../harness/latency-proxy';
import { runningProcesses } from '../../harness/processes';

/** Sends `lines` one at a time, each after the previous echo; resolves with the echoes and the time taken. */
async function echoRoundTrips(port: number, lines: readonly string[]): Promise<{ echoes: string[]; ms: number }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const echoes: string[] = [];
  const started = performance.now();
  for (const line of lines) {
    socket.write(`${line}\n`);
    echoes.push(await new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(chunk.toString().trim()))));
  }
  const ms = performance.now() - started;
  socket.end();
  return { echoes, ms };
}

describe('startLatencyProxy', () => {
  let echo: net.Server;
  let echoPort: number;
  let proxy: LatencyProxy | undefined;

  beforeAll(async () => {
    echo = net.createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen({ host: '127.0.0.1', port: 0 }, resolve));
    echoPort = (echo.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await proxy?.stop();
    await new Promise((resolve) => echo.close(resolve));
  });

  it('forwards both ways, in order, and adds the delay to each direction', async () => {
    // Prepare
    proxy = await startLatencyProxy({ targetPort: echoPort, delayMs: 25 });

    // Act
    const { echoes, ms } = await echoRoundTrips(proxy.port, ['one', 'two', 'three']);

    // Assess
    expect(echoes).toEqual(['one', 'two', 'three']);
    // Three round trips of 2 x 25 ms at least: a lower bound (the delay is there), not a speed check.
    expect(ms).toBeGreaterThanOrEqual(3 * 2 * 25 - 3);
  }, 30_000);

  it('stops its process', async () => {
    // Prepare
    const pid = proxy!.pid;

    // Act
    await proxy!.stop();
    proxy = undefined;

    // Assess
    expect(runningProcesses().some((p) => p.pid === pid)).toBe(false);
  });

  it('refuses a delay out of range', async () => {
    // Act & Assess
    await expect(startLatencyProxy({ targetPort: echoPort, delayMs: 1.5 })).rejects.toThrow('delayMs=1.5: expected an integer from 0 to 1000');
  });
});
