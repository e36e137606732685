/**
 * A throwaway `redis-server` on 127.0.0.1, the local stand-in for ElastiCache: no persistence,
 * protected mode, optional password (kept in a 0600 config file, not on the command line).
 *
 * @example
 * const redis = await startRedis({ password: 'pw' });
 * const env = redis.appEnv(); // { REDIS_HOST, REDIS_PORT, REDIS_PASSWORD }
 * await redis.kill();         // connections are refused from now on
 * await redis.restart();      // same port, empty data set
 * await redis.stop();
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENV } from '../lambdas/config/env-names';
import * as net from 'node:net';
import { withFreePort } from './ports';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes';
import { makeTempDir, removeTempDir } from './workspace';

export interface RedisEngine {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** PID of the current redis-server (changes on restart). */
  readonly pid: number;
  readonly password?: string;
  /** REDIS_HOST, REDIS_PORT and, when set, REDIS_PASSWORD. */
  appEnv(): Record<string, string>;
  stop(): Promise<void>;
  /** SIGKILL: an outage, clients get "connection refused". */
  kill(): Promise<void>;
  /** Stops it if running and starts it again on the same port (empty data set). */
  restart(): Promise<void>;
}

export interface RedisEngineOptions {
  /** requirepass. @default - no password */
  readonly password?: string;
  /** @default '/usr/bin/redis-server', or REDIS_SERVER_BIN */
  readonly binary?: string;
}

/** Starts redis-server on a free port and waits until it accepts connections. */
export async function startRedis(options: RedisEngineOptions = {}): Promise<RedisEngine> {
  const dir = makeTempDir('redis');
  const binary = options.binary ?? process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
  try {
    return await withFreePort(async (port) => {
      const engine = new LocalRedis(dir, binary, port, options.password);
      await engine.launch();
      return engine;
    });
  } catch (error) {
    removeTempDir(dir);
    throw error;
  }
}

class LocalRedis implements RedisEngine {
  readonly host = '127.0.0.1' as const;
  private proc: ManagedProcess | undefined;

  constructor(
    private readonly dir: string,
    private readonly binary: string,
    readonly port: number,
    readonly password: string | undefined,
  ) {}

  get pid(): number {
    if (this.proc === undefined) throw new Error('redis was never started');
    return this.proc.pid;
  }

  appEnv(): Record<string, string> {
    const env: Record<string, string> = { [ENV.redisHost]: this.host, [ENV.redisPort]: String(this.port) };
    if (this.password !== undefined) env[ENV.redisPassword] = this.password;
    return env;
  }

  async launch(): Promise<void> {
    const config = path.join(this.dir, 'redis.conf');
    const lines = [
      'bind 127.0.0.1',
      `port ${this.port}`,
      'protected-mode yes',
      'save ""',
      'appendonly no',
      'daemonize no',
      `dir ${this.dir}`,
      'loglevel warning',
      ...(this.password === undefined ? [] : [`requirepass "${this.password.replace(/["\\]/g, '\\$&')}"`]),
    ];
    fs.writeFileSync(config, `${lines.join('\n')}\n`, { mode: 0o600 });
    const proc = startProcess(`redis-${this.port}`, this.binary, [config]);
    this.proc = proc;
    await waitUntilReady(proc, this.port, () => redisAnswers(this.port), 10_000);
  }

  async stop(): Promise<void> {
    await this.proc?.stop({ timeoutMs: 5000 });
    removeTempDir(this.dir);
  }

  async kill(): Promise<void> {
    await this.proc?.kill();
  }

  async restart(): Promise<void> {
    await this.proc?.stop({ timeoutMs: 5000 });
    fs.mkdirSync(this.dir, { recursive: true });
    await this.launch();
  }
}

/** True when the server on `port` answers PING like Redis (+PONG, or -NOAUTH when a password is set). */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
  });
}
