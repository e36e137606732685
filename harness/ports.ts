/**
 * Port helpers for the local engines. Every engine binds 127.0.0.1 only, on a port the kernel
 * hands out, so that several test files (and the lab) can run side by side.
 */
import * as net from 'node:net';

/**
 * A TCP port that was free on 127.0.0.1 a moment ago (bind to port 0, read it, close).
 * Another process may still grab it before the engine binds, so starters retry on
 * "address in use".
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('freePort: the kernel returned no port'));
      });
    });
  });
}

/** True when something accepts a TCP connection on 127.0.0.1:port right now. */
export function isPortOpen(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (open: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls until 127.0.0.1:port accepts connections; rejects after `timeoutMs`.
 *
 * @example
 * await waitForPort(redis.port, 5000);
 */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  await pollUntil(() => isPortOpen(port), timeoutMs, `port ${port} did not open`);
}

/**
 * Calls `check` every `intervalMs` until it returns true (errors count as "not yet");
 * rejects with `what` and the last error after `timeoutMs`. The one bounded wait loop of the harness.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${what} within ${timeoutMs} ms${cause}`);
    }
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thrown by an engine starter when the port it was given was taken before the engine bound it. */
export class PortInUseError extends Error {
  constructor(readonly port: number, detail: string) {
    super(`port ${port} is already in use: ${detail}`);
    this.name = 'PortInUseError';
  }
}

/** True when an engine's log says that its listen port was taken. */
export function looksLikePortInUse(log: string): boolean {
  return /address already in use|EADDRINUSE|could not bind|cannot bind socket/i.test(log);
}

/**
 * Runs `start(port)` on a fresh free port, retrying with another port when it fails with
 * PortInUseError (the race between freePort() and the engine binding).
 */
export async function withFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= attempts) throw error;
    }
  }
}
