/**
 * What the playground reports about itself (the control API's `GET /_playground/state`), its
 * action log, and the start-up check of a fixed port.
 */
import * as net from 'node:net';
import type { SessionStoreKind } from '../lambdas/config/vocabulary';

export interface LogEntry {
  readonly at: string;
  readonly action: string;
  readonly ok: boolean;
  readonly message: string;
}

export interface PlaygroundState {
  readonly playground: true;
  readonly url: string;
  readonly sticky: boolean;
  readonly sessionStore: SessionStoreKind;
  readonly instances: ReadonlyArray<{ readonly tier: string; readonly name: string; readonly status: string; readonly port: number }>;
  /** `reconnecting`: the server is up again, and the app instances' clients not all back yet. */
  readonly redis: 'up' | 'reconnecting' | 'down';
  readonly replication: { readonly delayMs: number; readonly frozen: boolean };
  readonly partitioned: boolean;
  readonly regions: ReadonlyArray<{ readonly name: string; readonly base: string }>;
  readonly log: readonly LogEntry[];
}

export class PortInUsePlaygroundError extends Error {}

/** Fails fast, with the port named, when something already listens on it. */
export async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUsePlaygroundError(`port ${port} is already in use: stop what listens there, or choose another with --port`) : error),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

