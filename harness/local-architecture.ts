/**
 * The local stand-in for the deployed architecture, assembled in one place for the playground
 * (`npm start`), the e2e lab target and (engines only, local-engines.ts) the benchmarks:
 * - engines: PostgreSQL primary + replicas, Redis, dynalite Regions joined by the global-table
 *   replicator, pgbouncer in front of the primary for the Lambda tier (RDS Proxy on AWS);
 * - the Fargate tier: N container-server instances;
 * - the Lambda tier: N shim processes (lambda-shim.ts) running the deployed handler bundles, one
 *   ALB event per request, one invocation at a time per execution environment;
 * - one writer per Region: as on AWS, the multi-master function behind a Function URL, here a
 *   shim in `functionUrl` mode running the deployed bundle with that Region's DynamoDB endpoint;
 * - one HAProxy as the ALB: `/lambda/*` to the Lambda tier, the rest to the Fargate tier.
 * Everything is registered on one cleanup stack as it starts; a failed start tears down what started.
 *
 * @example
 * const arch = await startLocalArchitecture({ fargate: { count: 2, env: {} }, lambda: { count: 2, env: {} }, alb: { sticky: false } });
 * await fetch(`${arch.alb.url}/lambda/whoami`);
 * await arch.cleanup.close();
 */
import { ENV } from '../lambdas/config/env-names';
import { LAMBDA_DB_POOL_MAX } from '../lib/config/connection-budget';
import { prepareAppEntry, startAppInstances, type AppInstance } from './app-instances';
import { CleanupStack } from './cleanup-stack';
import { prepareLambdaBundles, prepareMultiMasterBundle, type LambdaFunctionBundle } from './lambda-bundles';
import { LAMBDA_SHIM_ENTRY, lambdaShimEnv } from './lambda-shim';
import { startLocalEngines, type LocalEngines, type LocalEnginesOptions } from './local-engines';
import type { Tier } from './playground-actions';
import { PlaygroundHaproxy } from './playground-haproxy';
import { TierPool } from './playground-pool';
import { freePort } from './ports';

export interface TierOptions {
  readonly count: number;
  /** Added to the tier's environment (session store, signing key, ...). */
  readonly env: Readonly<Record<string, string>>;
}

export interface LocalArchitectureOptions extends Omit<LocalEnginesOptions, 'alongside' | 'moto'> {
  readonly fargate: TierOptions;
  /** `multiValueHeaders`: the target groups' `lambda.multi_value_headers.enabled`. @default false, as deployed */
  readonly lambda: TierOptions & { readonly multiValueHeaders?: boolean };
  readonly alb: {
    /** @default - a free port */
    readonly port?: number;
    /** The playground's control API, routed at `/_playground/`. @default - none */
    readonly controlPort?: number;
    readonly sticky: boolean;
  };
  /** Where every part registers its teardown. @default - a new stack (`arch.cleanup`) */
  readonly cleanup?: CleanupStack;
  /** Called as each phase begins (`line`), with the name of the phase that ended. */
  readonly onPhase?: (line: string, ended?: string) => void;
}

export interface LocalArchitecture {
  readonly engines: LocalEngines;
  readonly regions: readonly string[];
  readonly pools: { readonly fargate: TierPool; readonly lambda: TierPool };
  readonly writers: readonly AppInstance[];
  readonly alb: PlaygroundHaproxy;
  readonly url: string;
  readonly lambdaFunctions: readonly LambdaFunctionBundle[];
  readonly cleanup: CleanupStack;
  /** A tier's whole environment with `extra` on top (e.g. to restart a pool with another session store). */
  tierEnv(tier: Tier, extra: Readonly<Record<string, string>>): Record<string, string>;
}

/** Default proxy pool: fewer server connections than the Lambda tier's client connections, as RDS Proxy multiplexes. */
export const LAMBDA_PROXY_POOL_SIZE = 3;

export async function startLocalArchitecture(options: LocalArchitectureOptions): Promise<LocalArchitecture> {
  const cleanup = options.cleanup ?? new CleanupStack();
  return cleanup.orClose(() => assemble(options, cleanup));
}

async function assemble(options: LocalArchitectureOptions, cleanup: CleanupStack): Promise<LocalArchitecture> {
  const regions = options.regions ?? [];
  const port = options.alb.port ?? (await freePort());
  options.onPhase?.(`starting PostgreSQL (primary + ${options.replicas ?? 2} replicas), Redis, pgbouncer and ${regions.length} dynalite Regions`);
  const bundles = prepareLambdaBundles();
  const engines = await startLocalEngines(cleanup, {
    ...options,
    proxyPoolSize: options.proxyPoolSize ?? LAMBDA_PROXY_POOL_SIZE,
    // The app and shim bundles and the handler build run while the engines start.
    alongside: [prepareAppEntry(), prepareAppEntry(LAMBDA_SHIM_ENTRY), bundles],
  });
  const lambdaFunctions = await bundles;
  const multiMaster = await prepareMultiMasterBundle();
  const home = regions.length > 0 ? engines.regionEnv(regions[0]) : {};
  const tierEnv = (tier: Tier, extra: Readonly<Record<string, string>>): Record<string, string> =>
    tier === 'fargate'
      ? { ...engines.dataEnv(), ...home, ...extra }
      : {
          // As deployed: the primary through the proxy, the pool size the stack sets, the functions' bundles.
          ...engines.pooledDataEnv(),
          ...home,
          [ENV.dbPoolMax]: String(LAMBDA_DB_POOL_MAX),
          ...lambdaShimEnv(lambdaFunctions, { multiValueHeaders: options.lambda.multiValueHeaders }),
          ...extra,
        };

  options.onPhase?.(`starting ${options.fargate.count} Fargate-tier instances, ${options.lambda.count} Lambda-tier shims and ${regions.length} regional writers`, 'engines');
  const [fargate, lambda, ...writers] = await Promise.all([
    cleanup.started(() => TierPool.start('fargate', options.fargate.count, tierEnv('fargate', options.fargate.env)), (p) => p.stop()),
    cleanup.started(() => TierPool.start('lambda', options.lambda.count, tierEnv('lambda', options.lambda.env), LAMBDA_SHIM_ENTRY), (p) => p.stop()),
    ...regions.map((region) =>
      cleanup.started(
        async () => {
          const env = { ...engines.regionEnv(region), [ENV.tier]: 'lambda', ...lambdaShimEnv([multiMaster], { mode: 'functionUrl' }) };
          return (await startAppInstances({ count: 1, namePrefix: `writer-${region}`, entry: LAMBDA_SHIM_ENTRY, env }))[0];
        },
        (w) => w.stop(),
      ),
    ),
  ]);

  options.onPhase?.('starting HAProxy, the ALB', 'instances');
  const alb = await cleanup.started(
    () =>
      PlaygroundHaproxy.start({
        port,
        controlPort: options.alb.controlPort,
        sticky: options.alb.sticky,
        fargatePorts: fargate.ports(),
        lambdaPorts: lambda.ports(),
        regionPorts: Object.fromEntries(regions.map((region, i) => [region, writers[i].port])),
      }),
    (lb) => lb.stop(),
  );
  await alb.waitForStatus([...fargate.instances(), ...lambda.instances()].map((i) => i.name), 'UP');
  return { engines, regions, pools: { fargate, lambda }, writers, alb, url: `http://127.0.0.1:${port}`, lambdaFunctions, cleanup, tierEnv };
}
