/**
 * The playground's one HAProxy: the ALB of the deployed stack, with its path routing.
 * - `/lambda/*` -> the Lambda tier's shims (lambda-shim.ts), path as is: each shim routes it to the
 *   pattern's function by the ALB path patterns, and the handler strips the prefix, as on AWS;
 *   never sticky (ALB stickiness does not apply to Lambda targets);
 * - `/regions/<region>/*` -> that Region's writer, prefix stripped (on AWS each Region's writer is
 *   its own Function URL, which a browser cannot call: IAM auth);
 * - `/_playground/*` -> the control API on 127.0.0.1, when there is one (the playground): the page
 *   reaches the controls from its own origin (CSP `connect-src 'self'`, no CORS to grant);
 * - everything else -> the Fargate-tier pool, sticky or round robin.
 *
 * Stickiness toggles at run time as in harness/haproxy.ts (a map entry picks `be_fargate_sticky` or
 * `be_fargate_rr`, the second tracking the first's health checks). Each pool has a fixed number of
 * server slots; the unused ones are `disabled` (MAINT) until an instance is added, when the control
 * API points the slot at the instance's port (`set server ... addr`) and makes it ready.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { haproxyAdminCommand, haproxyBaseConfig } from './haproxy';
import { pollUntil, waitForPort } from './ports';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes';
import type { Tier } from './playground-actions';
import { makeTempDir, removeTempDir } from './workspace';

/** Most instances per tier (server slots declared in the configuration). */
export const MAX_INSTANCES_PER_TIER = 6;
const ROUTING_KEY = 'fargate';
const FARGATE_STICKY = 'be_fargate_sticky';
const FARGATE_RR = 'be_fargate_rr';
const LAMBDA = 'be_lambda';
/** An address nothing listens on, for slots with no instance yet (they are disabled anyway). */
const PARKED = '127.0.0.1:9';

export interface PlaygroundHaproxyOptions {
  readonly port: number;
  /** Port of the playground's control API. @default - no `/_playground/` route */
  readonly controlPort?: number;
  readonly sticky: boolean;
  /** Instance ports of each tier, in slot order (`fargate-1` is slot 1). */
  readonly fargatePorts: readonly number[];
  readonly lambdaPorts: readonly number[];
  /** Region -> port of its writer. */
  readonly regionPorts: Readonly<Record<string, number>>;
  /** @default '/usr/sbin/haproxy', or HAPROXY_BIN */
  readonly binary?: string;
}

export class PlaygroundHaproxy {
  private constructor(
    private readonly proc: ManagedProcess,
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** Starts HAProxy on `options.port`; resolves once the admin socket answers and the port accepts. */
  static async start(options: PlaygroundHaproxyOptions): Promise<PlaygroundHaproxy> {
    const dir = makeTempDir('playground-haproxy');
    try {
      const config = writeConfig(dir, options);
      const proc = startProcess(`haproxy-${options.port}`, options.binary ?? process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy', ['-db', '-f', config]);
      const lb = new PlaygroundHaproxy(proc, options.port, dir);
      await waitUntilReady(proc, options.port, async () => (await lb.admin('show info')).includes('Name: HAProxy'), 10_000);
      await waitForPort(options.port, 5000);
      return lb;
    } catch (error) {
      removeTempDir(dir);
      throw error;
    }
  }

  get pid(): number {
    return this.proc.pid;
  }

  admin(command: string): Promise<string> {
    return haproxyAdminCommand(path.join(this.dir, 'admin.sock'), command);
  }

  async setSticky(on: boolean): Promise<void> {
    await this.expectEmpty(`set map ${path.join(this.dir, 'routing.map')} ${ROUTING_KEY} ${on ? FARGATE_STICKY : FARGATE_RR}`);
  }

  async isSticky(): Promise<boolean> {
    return (await this.admin(`show map ${path.join(this.dir, 'routing.map')}`)).includes(FARGATE_STICKY);
  }

  /** Points slot `name` of `tier` at `port` and makes it ready (health checks then decide UP). */
  async attach(tier: Tier, name: string, port: number): Promise<void> {
    for (const backend of backendsOf(tier)) await this.expectChanged(`set server ${backend}/${name} addr 127.0.0.1 port ${port}`);
    await this.expectEmpty(`set server ${checkedBackend(tier)}/${name} state ready`);
  }

  /** Server name -> status (`UP`, `DOWN`, `MAINT`, ...) of the health-checked backend of each tier. */
  async serverStates(): Promise<Record<string, string>> {
    const [header, ...rows] = (await this.admin('show stat')).trim().split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const states: Record<string, string> = {};
    for (const row of rows.map((r) => r.split(','))) {
      const record = Object.fromEntries(columns.map((column, i) => [column, row[i] ?? '']));
      if ((record.pxname === FARGATE_STICKY || record.pxname === LAMBDA) && record.svname !== 'BACKEND') states[record.svname] = record.status;
    }
    return states;
  }

  async waitForStatus(names: readonly string[], status: string, timeoutMs = 10_000): Promise<void> {
    await pollUntil(async () => {
      const states = await this.serverStates();
      return names.every((n) => states[n] === status);
    }, timeoutMs, `playground haproxy: ${names.join(', ')} did not become ${status}`);
  }

  async stop(): Promise<void> {
    await this.proc.stop({ timeoutMs: 5000 });
    removeTempDir(this.dir);
  }

  private async expectEmpty(command: string): Promise<void> {
    const reply = (await this.admin(command)).trim();
    if (reply !== '') throw new Error(`haproxy admin "${command}" failed: ${reply}`);
  }

  /** `set server ... addr` answers "IP changed from ..." or "no need to change ..." on success. */
  private async expectChanged(command: string): Promise<void> {
    const reply = (await this.admin(command)).trim();
    if (!/changed|no need to change/i.test(reply)) throw new Error(`haproxy admin "${command}" failed: ${reply}`);
  }
}

function backendsOf(tier: Tier): readonly string[] {
  return tier === 'fargate' ? [FARGATE_STICKY, FARGATE_RR] : [LAMBDA];
}

function checkedBackend(tier: Tier): string {
  return tier === 'fargate' ? FARGATE_STICKY : LAMBDA;
}

/** Slot lines: slot i is `<tier>-i`, at its instance's port, or parked and disabled. */
function slots(tier: Tier, ports: readonly number[], extra: (name: string) => string, tracking = false): string[] {
  return Array.from({ length: MAX_INSTANCES_PER_TIER }, (_, i) => {
    const name = `${tier}-${i + 1}`;
    const address = i < ports.length ? `127.0.0.1:${ports[i]}` : PARKED;
    // A tracking server inherits the maintenance state of the server it tracks: not disabled itself.
    const disabled = i < ports.length || tracking ? '' : ' disabled';
    return `  server ${name} ${address} ${extra(name)}${disabled}`;
  });
}

function writeConfig(dir: string, options: PlaygroundHaproxyOptions): string {
  const mapFile = path.join(dir, 'routing.map');
  fs.writeFileSync(mapFile, `${ROUTING_KEY} ${options.sticky ? FARGATE_STICKY : FARGATE_RR}\n`);
  const regions = Object.entries(options.regionPorts);
  const health = ['  option httpchk GET /healthz', '  http-check expect status 200'];
  const lines = [
    ...haproxyBaseConfig(path.join(dir, 'admin.sock'), 500),
    'frontend fe_main',
    `  bind 127.0.0.1:${options.port}`,
    // As an ALB does: the app trusts this header for the cookie Secure rule, so never pass the client's.
    '  http-request set-header X-Forwarded-Proto http',
    '  http-request redirect location /lambda/ code 302 if { path /lambda }',
    ...(options.controlPort === undefined ? [] : ['  use_backend be_control if { path_beg /_playground/ }']),
    `  use_backend ${LAMBDA} if { path_beg /lambda/ }`,
    ...regions.map(([region]) => `  use_backend be_region_${region} if { path_beg /regions/${region}/ }`),
    `  use_backend %[str(${ROUTING_KEY}),map(${mapFile},${FARGATE_RR})]`,
    '',
    ...(options.controlPort === undefined ? [] : ['backend be_control', `  server control 127.0.0.1:${options.controlPort}`, '']),
    `backend ${FARGATE_STICKY}`,
    '  balance roundrobin',
    ...health,
    '  cookie SERVERID insert indirect nocache',
    ...slots('fargate', options.fargatePorts, (name) => `check cookie ${name}`),
    '',
    `backend ${FARGATE_RR}`,
    '  balance roundrobin',
    ...slots('fargate', options.fargatePorts, (name) => `track ${FARGATE_STICKY}/${name}`, true),
    '',
    `backend ${LAMBDA}`,
    '  balance roundrobin',
    // The shim's own liveness (lambda-shim.ts), not a function's: no invocation per check.
    ...health,
    ...slots('lambda', options.lambdaPorts, () => 'check'),
    '',
    ...regions.flatMap(([region, port]) => [
      `backend be_region_${region}`,
      `  http-request replace-path ^/regions/${region}(/.*)$ \\1`,
      `  server writer-${region} 127.0.0.1:${port}`,
      '',
    ]),
  ];
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}
