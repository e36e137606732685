/**
 * HAProxy 2.6 as the local ALB: round robin over the app instances, fast health checks on
 * `/healthz`, and cookie stickiness that can be switched on and off at run time.
 *
 * Stickiness toggle: the frontend picks its backend from a map (`use_backend
 * %[str(routing),map(<file>,be_roundrobin)]`); `be_sticky` and `be_roundrobin` list the same
 * servers, one with `cookie SERVERID insert indirect nocache`, the other without. `set map` on
 * the admin socket flips the entry with no reload. Health checks run in `be_sticky` only; the
 * round-robin servers `track` them, so a server's state (UP/DOWN/MAINT/DRAIN) is one state.
 *
 * As an ALB does, every frontend overwrites `X-Forwarded-Proto` with the protocol the client used
 * (a value a client sent is never passed on), so the app instances can trust that header
 * (`FORWARDED_PROTO_HEADER=x-forwarded-proto`). With `https: true` a second frontend terminates
 * TLS with a self-signed certificate made at start, as an HTTPS listener would.
 *
 * @example
 * const lb = await startHaproxy({ backends: apps, sticky: true });
 * await lb.setSticky(false);
 * await lb.setServerState('app-1', 'maint');
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { haproxyAdminCommand, haproxyBaseConfig } from './haproxy-common';
import { pollUntil, waitForPort, withFreePort } from './ports';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes';
import { makeSelfSignedPem } from './self-signed-cert';
import { makeTempDir, removeTempDir } from './workspace';

export { haproxyAdminCommand, haproxyBaseConfig } from './haproxy-common';

export interface HaproxyBackend {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export type ServerAdminState = 'ready' | 'drain' | 'maint';

export interface Haproxy {
  readonly port: number;
  readonly url: string;
  /** The TLS frontend's port and URL, when started with `https: true`. */
  readonly httpsPort?: number;
  readonly httpsUrl?: string;
  readonly pid: number;
  /** At run time through the admin socket, no restart. */
  setSticky(on: boolean): Promise<void>;
  isSticky(): Promise<boolean>;
  setServerState(name: string, state: ServerAdminState): Promise<void>;
  /** Server name -> HAProxy status ('UP', 'DOWN', 'MAINT', 'DRAIN', or a transition such as 'DOWN 1/2'). */
  serverStates(): Promise<Record<string, string>>;
  /** Waits until every named server (default all) has `status` (e.g. 'DOWN' after a kill). */
  waitForServerStatus(status: string, names?: readonly string[], timeoutMs?: number): Promise<void>;
  /**
   * `show stat` as one record per server of the backend that routes now (sticky or round robin),
   * keyed by HAProxy's column names (`scur`, `smax`, `qmax`, `stot`, `status` ...), plus the row
   * `BACKEND` with its totals: requests waiting for any server queue there (`qcur`, `qmax`).
   */
  serverStats(): Promise<Record<string, Record<string, string>>>;
  /** One command on the admin socket, for anything else (`show stat`, `show servers state` ...). */
  adminCommand(command: string): Promise<string>;
  stop(): Promise<void>;
}

export interface HaproxyOptions {
  readonly backends: readonly HaproxyBackend[];
  readonly sticky: boolean;
  /** @default 'SERVERID' */
  readonly cookieName?: string;
  /** @default '/healthz' */
  readonly healthCheckPath?: string;
  /** Health check interval; a dead server is DOWN after two misses. @default 500 */
  readonly checkIntervalMs?: number;
  /** Wait until every server passed its first health check. @default true */
  readonly waitForHealthy?: boolean;
  /**
   * Most requests a server handles at once; HAProxy queues the rest (`timeout queue` 5 s), as
   * Lambda does with one request per execution environment.
   * @default - no limit per server
   */
  readonly maxConnPerServer?: number;
  /** @default '/usr/sbin/haproxy', or HAPROXY_BIN */
  readonly binary?: string;
  /**
   * Add an HTTPS frontend (self-signed certificate for `patterns.example`, `localhost` and
   * 127.0.0.1, made with `openssl` at start) next to the HTTP one, routing the same way.
   * @default false
   */
  readonly https?: boolean;
}

const STICKY_BACKEND = 'be_sticky';
const ROUND_ROBIN_BACKEND = 'be_roundrobin';
const ROUTING_KEY = 'routing';

/** Starts HAProxy in the foreground (`-db`) on a free port; resolves once it routes. */
export async function startHaproxy(options: HaproxyOptions): Promise<Haproxy> {
  validate(options);
  const dir = makeTempDir('haproxy');
  const binary = options.binary ?? process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
  try {
    const pem = options.https === true ? await makeSelfSignedPem(dir) : undefined;
    const start = async (port: number, httpsPort?: number) => {
      const config = writeConfig(dir, port, options, pem === undefined ? undefined : { port: httpsPort as number, pem });
      const proc = startProcess(`haproxy-${port}`, binary, ['-db', '-f', config]);
      const instance = new LocalHaproxy(proc, port, dir, httpsPort);
      await waitUntilReady(proc, port, async () => (await instance.adminCommand('show info')).includes('Name: HAProxy'), 10_000);
      await waitForPort(port, 5000);
      if (httpsPort !== undefined) await waitForPort(httpsPort, 5000);
      return instance;
    };
    const lb = await withFreePort((port) => (pem === undefined ? start(port) : withFreePort((httpsPort) => start(port, httpsPort))));
    if (options.waitForHealthy ?? true) await lb.waitForServerStatus('UP', undefined, 10_000);
    return lb;
  } catch (error) {
    removeTempDir(dir);
    throw error;
  }
}

class LocalHaproxy implements Haproxy {
  readonly url: string;
  readonly httpsUrl?: string;

  constructor(
    private readonly proc: ManagedProcess,
    readonly port: number,
    private readonly dir: string,
    readonly httpsPort?: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    if (httpsPort !== undefined) this.httpsUrl = `https://127.0.0.1:${httpsPort}`;
  }

  get pid(): number {
    return this.proc.pid;
  }

  private get mapFile(): string {
    return path.join(this.dir, 'routing.map');
  }

  async setSticky(on: boolean): Promise<void> {
    await this.expectEmpty(`set map ${this.mapFile} ${ROUTING_KEY} ${on ? STICKY_BACKEND : ROUND_ROBIN_BACKEND}`);
  }

  async isSticky(): Promise<boolean> {
    const entry = (await this.adminCommand(`show map ${this.mapFile}`))
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .find((fields) => fields[1] === ROUTING_KEY);
    if (entry === undefined) throw new Error(`haproxy: no "${ROUTING_KEY}" entry in ${this.mapFile}`);
    return entry[2] === STICKY_BACKEND;
  }

  async setServerState(name: string, state: ServerAdminState): Promise<void> {
    await this.expectEmpty(`set server ${STICKY_BACKEND}/${name} state ${state}`);
  }

  async serverStates(): Promise<Record<string, string>> {
    const states: Record<string, string> = {};
    for (const [name, row] of Object.entries(await this.backendStats(STICKY_BACKEND))) {
      if (name !== 'BACKEND') states[name] = row.status;
    }
    return states;
  }

  async serverStats(): Promise<Record<string, Record<string, string>>> {
    return this.backendStats((await this.isSticky()) ? STICKY_BACKEND : ROUND_ROBIN_BACKEND);
  }

  /** `show stat` rows of one backend (its servers and `BACKEND`), by `svname`. */
  private async backendStats(backend: string): Promise<Record<string, Record<string, string>>> {
    const [header, ...rows] = (await this.adminCommand('show stat')).trim().split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const stats: Record<string, Record<string, string>> = {};
    for (const row of rows.map((r) => r.split(','))) {
      const record = Object.fromEntries(columns.map((column, i) => [column, row[i] ?? '']));
      if (record.pxname === backend) stats[record.svname] = record;
    }
    return stats;
  }

  async waitForServerStatus(status: string, names?: readonly string[], timeoutMs = 10_000): Promise<void> {
    let last: Record<string, string> = {};
    await pollUntil(
      async () => {
        last = await this.serverStates();
        return (names ?? Object.keys(last)).every((n) => last[n] === status);
      },
      timeoutMs,
      `haproxy servers ${(names ?? ['(all)']).join(', ')} did not become ${status}`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; states: ${JSON.stringify(last)}`);
    });
  }

  adminCommand(command: string): Promise<string> {
    return haproxyAdminCommand(path.join(this.dir, 'admin.sock'), command);
  }

  async stop(): Promise<void> {
    await this.proc.stop({ timeoutMs: 5000 }); // SIGTERM: hard stop, open connections are cut
    removeTempDir(this.dir);
  }

  /** Runtime commands answer nothing on success and a message on failure. */
  private async expectEmpty(command: string): Promise<void> {
    const reply = (await this.adminCommand(command)).trim();
    if (reply !== '') throw new Error(`haproxy admin "${command}" failed: ${reply}`);
  }
}

function validate(options: HaproxyOptions): void {
  const problems: string[] = [];
  if (options.backends.length === 0) problems.push('backends is empty: expected at least one');
  for (const b of options.backends) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(b.name)) problems.push(`backend name ${JSON.stringify(b.name)} is invalid: expected letters, digits, _ . -`);
    if (!/^[A-Za-z0-9.:-]+$/.test(b.host)) problems.push(`backend host ${JSON.stringify(b.host)} is invalid`);
  }
  if (new Set(options.backends.map((b) => b.name)).size !== options.backends.length) problems.push('backend names must be unique');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(options.cookieName ?? 'SERVERID')) problems.push(`cookieName ${JSON.stringify(options.cookieName)} is invalid`);
  if (!/^\/[A-Za-z0-9/_.-]*$/.test(options.healthCheckPath ?? '/healthz')) problems.push(`healthCheckPath ${JSON.stringify(options.healthCheckPath)} is invalid`);
  const maxConn = options.maxConnPerServer;
  if (maxConn !== undefined && !(Number.isInteger(maxConn) && maxConn >= 1)) problems.push(`maxConnPerServer ${maxConn} is invalid: expected an integer >= 1`);
  if (problems.length > 0) throw new Error(`startHaproxy: ${problems.join('; ')}`);
}

/** A frontend that tells the app which protocol the client used, overwriting whatever the client sent. */
function frontend(name: string, bind: string, proto: 'http' | 'https', mapFile: string): string[] {
  return [
    `frontend ${name}`,
    `  bind ${bind}`,
    `  http-request set-header X-Forwarded-Proto ${proto}`,
    `  use_backend %[str(${ROUTING_KEY}),map(${mapFile},${ROUND_ROBIN_BACKEND})]`,
    '',
  ];
}

function writeConfig(dir: string, port: number, options: HaproxyOptions, tls?: { readonly port: number; readonly pem: string }): string {
  const mapFile = path.join(dir, 'routing.map');
  fs.writeFileSync(mapFile, `${ROUTING_KEY} ${options.sticky ? STICKY_BACKEND : ROUND_ROBIN_BACKEND}\n`);
  const inter = options.checkIntervalMs ?? 500;
  // On both backends: each has its own connection count per server.
  const maxConn = options.maxConnPerServer === undefined ? '' : ` maxconn ${options.maxConnPerServer}`;
  const servers = (extra: (name: string) => string): string[] =>
    options.backends.map((b) => `  server ${b.name} ${b.host}:${b.port} ${extra(b.name)}${maxConn}`);
  const lines = [
    ...haproxyBaseConfig(path.join(dir, 'admin.sock'), inter),
    ...frontend('fe_main', `127.0.0.1:${port}`, 'http', mapFile),
    ...(tls === undefined ? [] : frontend('fe_tls', `127.0.0.1:${tls.port} ssl crt ${tls.pem}`, 'https', mapFile)),
    `backend ${STICKY_BACKEND}`,
    '  balance roundrobin',
    `  option httpchk GET ${options.healthCheckPath ?? '/healthz'}`,
    '  http-check expect status 200',
    `  cookie ${options.cookieName ?? 'SERVERID'} insert indirect nocache`,
    ...servers((name) => `check cookie ${name}`),
    '',
    `backend ${ROUND_ROBIN_BACKEND}`,
    '  balance roundrobin',
    ...servers((name) => `track ${STICKY_BACKEND}/${name}`),
    '',
  ];
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}
