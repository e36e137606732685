import * as net from 'node:net';
import Redis from 'ioredis';
import { startRedis, type RedisEngine } from '../../harness/redis-engine';
import { runningProcesses } from '../../harness/processes';

/** A client that fails fast instead of retrying, so that an outage shows up as an error. */
function clientFor(redis: RedisEngine): Redis {
  return new Redis({
    host: redis.host,
    port: redis.port,
    password: redis.password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
}

/** The error code of a plain TCP connect to the port ('connected' when it succeeds). */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Sends one inline command over a plain socket and returns the first reply line. */
function rawCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(`${command}\r\n`));
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.split('\r\n')[0]);
      }
    });
    socket.once('error', reject);
  });
}

describe('RedisEngine', () => {
  let redis: RedisEngine;

  beforeAll(async () => {
    redis = await startRedis({ password: 'harness-secret' });
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('serves set/get to a password-authenticated client', async () => {
    // Prepare
    const client = clientFor(redis);
    await client.connect();
    // Act
    await client.set('greeting', 'hello');
    const value = await client.get('greeting');
    client.disconnect();
    // Assess
    expect(value).toBe('hello');
    expect(redis.appEnv()).toEqual({ REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redis.port), REDIS_PASSWORD: 'harness-secret' });
  });

  it('refuses commands without the password', async () => {
    // Prepare / Act
    const reply = await rawCommand(redis.port, 'GET greeting');
    // Assess
    expect(reply).toMatch(/^-NOAUTH/);
  });

  it('refuses connections once killed and works again, empty, after a restart', async () => {
    // Prepare
    const client = clientFor(redis);
    await client.connect();
    await client.set('before-crash', '1');
    client.disconnect();
    const oldPid = redis.pid;
    // Act
    await redis.kill();
    const whileDown = await connectOutcome(redis.port);
    await redis.restart();
    const fresh = clientFor(redis);
    await fresh.connect();
    const lost = await fresh.get('before-crash');
    await fresh.set('after-restart', '2');
    const kept = await fresh.get('after-restart');
    fresh.disconnect();
    // Assess
    expect(whileDown).toBe('ECONNREFUSED');
    expect(redis.pid).not.toBe(oldPid);
    expect(lost).toBeNull();
    expect(kept).toBe('2');
    expect(runningProcesses().some((p) => p.pid === oldPid)).toBe(false);
  });
});
