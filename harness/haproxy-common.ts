/**
 * What every local HAProxy shares (the plain ALB of haproxy.ts and the local architecture's ALB of
 * playground-haproxy.ts): the `global` and `defaults` sections, and one admin-socket command.
 */
import * as net from 'node:net';

/** One command on an HAProxy admin socket (`stats socket ... level admin`); resolves with the reply. */
export function haproxyAdminCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error(`haproxy admin "${command}" timed out`)));
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk) => (reply += chunk.toString('utf8')));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
  });
}

/** The `global` and `defaults` sections every local HAProxy shares (this ALB and the playground's). */
export function haproxyBaseConfig(adminSocket: string, checkIntervalMs: number): string[] {
  const inter = checkIntervalMs;
  return [
    'global',
    `  stats socket ${adminSocket} mode 600 level admin`,
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout http-request 10s',
    '  timeout queue 5s',
    '  timeout check 1s',
    // A refused connection (a killed instance not yet marked down) is retried on another server.
    '  retries 2',
    '  option redispatch 1',
    `  default-server inter ${inter}ms fastinter ${inter}ms downinter ${inter}ms fall 2 rise 1`,
    '',
  ];
}
