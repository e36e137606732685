/**
 * N copies of the app server as local Node processes (the Fargate tasks / Lambda instances of
 * the lab), each on its own port with its own INSTANCE_ID, ready once `GET /healthz` answers 200.
 * They run in lab mode (PATTERN_LAB_MODE=1) and trust `X-Forwarded-Proto`, which the harness's
 * HAProxy sets as an ALB does.
 * A TypeScript entry is bundled once per process by esbuild, npm packages included: with the
 * AWS SDK, pg and ioredis an instance then loads in ~0.2 s, against ~0.5 s with packages left
 * external and ~0.7 s with tsx (measured on 2 cores).
 *
 * @example
 * const apps = await startAppInstances({ count: 3, env: { ...redis.appEnv(), SESSION_STORE: 'redis' } });
 * const lb = await startHaproxy({ backends: apps, sticky: true });
 * await apps[0].kill();    // a crash: HAProxy marks it down within about a second
 * await apps[0].restart(); // back on the same port
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ENV } from '../lambdas/config/env-names';
import { DEPLOYED_NODE_TARGET } from '../lambdas/config/node-version';
import { httpGet } from './http-probe';
import { withFreePort } from './ports';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes';
import { makeTempDir } from './workspace';

const execFileAsync = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '..');

/** The container server that mounts every pattern's routes. */
export const DEFAULT_APP_ENTRY = path.join(REPO_ROOT, 'lambdas', 'server', 'container-server.ts');

export interface AppInstance {
  readonly name: string;
  /** Always 127.0.0.1; with `name` and `port` an instance is a HaproxyBackend as is. */
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly url: string;
  /** PID of the current process (changes on restart). */
  readonly pid: number;
  stop(): Promise<void>;
  /** SIGKILL: a crash, in-memory state is lost. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same environment. */
  restart(): Promise<void>;
}

export interface AppInstancesOptions {
  readonly count: number;
  /** Instances are named `<prefix>-1` .. `<prefix>-N`. @default 'app' */
  readonly namePrefix?: string;
  /** Number of the first instance's name (the playground adds `fargate-3` to a running pool). @default 1 */
  readonly firstNumber?: number;
  /** Added to every instance's environment (INSTANCE_ID, PORT and LISTEN_HOST are always the harness's). */
  readonly env: Readonly<Record<string, string>>;
  /** A .ts entry (bundled) or a .js/.cjs/.mjs file (run as is). @default DEFAULT_APP_ENTRY */
  readonly entry?: string;
  /** How a .ts entry runs: an esbuild bundle, or `node --import tsx`. @default 'bundle' */
  readonly runner?: 'bundle' | 'tsx';
  /** Readiness timeout per instance. @default 20000 */
  readonly readyTimeoutMs?: number;
  /** Node options put before the entry, e.g. `['--expose-gc']` for heap figures after a full GC. @default none */
  readonly nodeArgs?: readonly string[];
}

/** Starts `count` instances in parallel and resolves once all answer `/healthz`. */
export async function startAppInstances(options: AppInstancesOptions): Promise<AppInstance[]> {
  if (!Number.isInteger(options.count) || options.count < 1) throw new Error(`count=${options.count}: expected an integer >= 1`);
  const entryCommand = await commandFor(path.resolve(options.entry ?? DEFAULT_APP_ENTRY), options.runner ?? 'bundle');
  const command = { ...entryCommand, args: [...(options.nodeArgs ?? []), ...entryCommand.args] };
  const prefix = options.namePrefix ?? 'app';
  const started = await Promise.allSettled(
    Array.from({ length: options.count }, (_, i) =>
      withFreePort(async (port) => {
        const instance = new LocalAppInstance(`${prefix}-${(options.firstNumber ?? 1) + i}`, port, command, options.env, options.readyTimeoutMs ?? 20_000);
        await instance.launch();
        return instance;
      }),
    ),
  );
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure !== undefined) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw failure.reason;
  }
  return started.map((s) => (s as PromiseFulfilledResult<LocalAppInstance>).value);
}

/**
 * Builds the bundle of a .ts `entry` now, so that instances started later do not wait for it (the
 * playground overlaps it with the engines' start-up).
 */
export async function prepareAppEntry(entry: string = DEFAULT_APP_ENTRY): Promise<void> {
  await commandFor(path.resolve(entry), 'bundle');
}

interface NodeCommand {
  readonly args: readonly string[];
  readonly env: Record<string, string>;
}

/**
 * The app bundle targets the deployed Node.js version, as the Lambda and container builds do, and runs
 * on this machine's node (20 on the reference machine): esbuild's target lowers syntax only, so a
 * construct the local node cannot parse fails the start loudly, while an API or behaviour that differs
 * between the two versions passes unseen (see the README, "Node.js versions").
 */
export const APP_BUNDLE_TARGET = DEPLOYED_NODE_TARGET;

const bundles = new Map<string, Promise<string>>();

/** How to run `entry` with node: a bundle built once per process, tsx, or the file itself. */
async function commandFor(entry: string, runner: 'bundle' | 'tsx'): Promise<NodeCommand> {
  if (!entry.endsWith('.ts')) return { args: [entry], env: {} };
  if (runner === 'tsx') return { args: ['--import', 'tsx', entry], env: {} };
  let bundle = bundles.get(entry);
  if (bundle === undefined) {
    bundle = bundleEntry(entry);
    bundles.set(entry, bundle);
    bundle.catch(() => bundles.delete(entry));
  }
  return { args: ['--enable-source-maps', await bundle], env: {} };
}

async function bundleEntry(entry: string): Promise<string> {
  const outfile = path.join(makeTempDir('app-bundle'), `${path.basename(entry, '.ts')}.cjs`);
  // The esbuild CLI, not its JS API: the API's TextEncoder check fails inside jest's VM context.
  await execFileAsync(path.join(REPO_ROOT, 'node_modules', '.bin', 'esbuild'), [
    entry, '--bundle', '--platform=node', '--format=cjs', `--target=${APP_BUNDLE_TARGET}`, '--external:pg-native',
    '--sourcemap', '--log-level=warning', `--outfile=${outfile}`,
  ]);
  return outfile;
}

class LocalAppInstance implements AppInstance {
  readonly host = '127.0.0.1' as const;
  readonly url: string;
  private proc: ManagedProcess | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly command: NodeCommand,
    private readonly extraEnv: Readonly<Record<string, string>>,
    private readonly readyTimeoutMs: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get pid(): number {
    if (this.proc === undefined) throw new Error(`${this.name} was never started`);
    return this.proc.pid;
  }

  async launch(): Promise<void> {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      [ENV.tier]: 'local',
      // The lab's instances are lab instances (lab-only routes mounted), and HAProxy in front sets
      // X-Forwarded-Proto as an ALB does; a caller's env may still override both.
      [ENV.labMode]: '1',
      [ENV.forwardedProtoHeader]: 'x-forwarded-proto',
      ...this.command.env,
      ...this.extraEnv,
      [ENV.instanceId]: this.name,
      PORT: String(this.port),
      // Nothing the harness starts is reachable from beyond this machine's loopback address.
      [ENV.listenHost]: this.host,
    };
    this.proc = startProcess(this.name, process.execPath, this.command.args, { env, cwd: REPO_ROOT });
    await waitUntilReady(
      this.proc,
      this.port,
      async () => (await httpGet(`${this.url}/healthz`, {}, 1000)).status === 200,
      this.readyTimeoutMs,
    );
  }

  async stop(): Promise<void> {
    await this.proc?.stop({ timeoutMs: 5000 });
  }

  async kill(): Promise<void> {
    await this.proc?.kill();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }
}
