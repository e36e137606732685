/**
 * The localstack target: a `cdklocal` deployment of profile=localstack (the global table and one
 * writer per Region with its Function URL) on a running LocalStack. The capability check reads the
 * emulator's health endpoint first: what it lacks, and what the profile leaves out (everything on
 * RDS, ElastiCache, ELBv2, ECS), is skipped with the reason. Function URLs are called through the
 * LocalStack gateway (`connectTo`), signed with SigV4 like on AWS.
 */
import { spawnSync } from 'node:child_process';
import { RegionalClient } from '../http/regional-client';
import { describeLocalStack, localStackCapabilities, probeLocalStack } from './localstack-health';
import { LOCALSTACK_DEPLOY_HINT, readStackOutputs } from './stack-outputs';
import { type E2eTarget, type Log, TargetError } from './target';

export const DEFAULT_LOCALSTACK_ENDPOINT = 'http://localhost:4566';
/** LocalStack's default account and credentials (it does not check them in its free tier). */
const LOCALSTACK_ACCOUNT = '000000000000';
/** The first call of a Function URL starts a Lambda container (and may pull its image). */
const REQUEST_TIMEOUT_MS = 60_000;

export interface LocalStackTargetOptions {
  readonly endpoint: string;
  readonly outputsFile: string;
  /** Bootstrap and deploy with cdklocal before checking. */
  readonly deploy: boolean;
  /** Regions to bootstrap when deploying (every Region of the app). */
  readonly regions: readonly string[];
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * The exact commands `--deploy` runs (and the README documents), in order.
 *
 * @example
 * deployCommands({ outputsFile: 'cdk-outputs.localstack.json', regions: ['us-east-1'] });
 */
export function deployCommands(options: Pick<LocalStackTargetOptions, 'outputsFile' | 'regions'>): string[][] {
  return [
    ['npx', 'cdklocal', 'bootstrap', ...options.regions.map((region) => `aws://${LOCALSTACK_ACCOUNT}/${region}`), '-c', 'profile=localstack'],
    ['npx', 'cdklocal', 'deploy', '--all', '-c', 'profile=localstack', '--require-approval', 'never', '--outputs-file', options.outputsFile],
  ];
}

export async function openLocalStackTarget(options: LocalStackTargetOptions, log: Log): Promise<E2eTarget> {
  const status = await probeLocalStack(options.endpoint, 3000);
  const capabilities = localStackCapabilities(status);
  const deployable = capabilities['global-table'];
  if (options.deploy) {
    if (!deployable.available) throw new TargetError(`nothing to deploy on this LocalStack: ${deployable.reason}`);
    for (const command of deployCommands(options)) {
      log(`$ ${command.join(' ')}`);
      const run = spawnSync(command[0], command.slice(1), {
        stdio: 'inherit',
        env: { ...process.env, AWS_ENDPOINT_URL: options.endpoint, AWS_ACCESS_KEY_ID: options.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey },
      });
      if (run.status !== 0) throw new TargetError(`${command.join(' ')} failed (exit ${run.status ?? run.signal})`);
    }
  }
  // Without the global table there is nothing deployed to read: every check will be skipped.
  const outputs = deployable.available
    ? readStackOutputs(options.outputsFile, { loadBalancer: false, deployHint: LOCALSTACK_DEPLOY_HINT })
    : { regions: [] };
  const clients = new Map(
    outputs.regions.map((r) => [
      r.region,
      new RegionalClient({ url: r.url, region: r.region, credentials: options.credentials, connectTo: options.endpoint, timeoutMs: REQUEST_TIMEOUT_MS }),
    ]),
  );
  return {
    name: 'localstack',
    description: `${describeLocalStack(status, options.endpoint)}; stacks from ${options.outputsFile}`,
    capabilities,
    tiers: {},
    regions: outputs.regions,
    loadBalancerCookie: /^AWSALB/,
    stickinessMode: 'lb',
    setSticky: async () => {
      throw new Error('profile=localstack has no load balancer');
    },
    regionalClient(region) {
      const client = clients.get(region);
      if (client === undefined) throw new Error(`${options.outputsFile} has no writer in ${region}`);
      return client;
    },
    replicationTimeoutMs: 10_000,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    // The first call of a Function URL starts a Lambda container: allow for the image pull.
    checkTimeoutMs: 120_000,
    close: async () => undefined,
  };
}
