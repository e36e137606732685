/**
 * The aws target: the stacks you deployed with `npx cdk deploy --all --outputs-file cdk-outputs.json`.
 * Endpoints come from that file (`PatternsUrl`: the CloudFront URL by default, the ALB with
 * edge=none), credentials from the standard AWS chain (environment, profile, SSO,
 * instance role), used to sign the regional writers' Function URLs (IAM auth). Nothing is started or
 * changed: stickiness is whatever was deployed (the `StickySessions` output), so only that mode is
 * checked; failover is never part of the suite (it is destructive).
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { capabilityReport } from '../capabilities';
import { RegionalClient, type SigningCredentials } from '../http/regional-client';
import { AWS_DEPLOY_HINT, readStackOutputs } from './stack-outputs';
import { type E2eTarget, type Log, TargetError } from './target';

/** Above the functions' 10 s timeout: a cold start in the VPC plus the first migrations fit in it. */
const REQUEST_TIMEOUT_MS = 15_000;

export interface AwsTargetOptions {
  readonly outputsFile: string;
  /** @default the standard chain (defaultProvider) */
  readonly credentials?: SigningCredentials;
}

/** Reads the outputs and resolves credentials; a TargetError when either is missing. */
export async function openAwsTarget(options: AwsTargetOptions, log: Log): Promise<E2eTarget> {
  const outputs = readStackOutputs(options.outputsFile, { loadBalancer: true, deployHint: AWS_DEPLOY_HINT });
  const credentials = options.credentials ?? defaultProvider();
  if (typeof credentials === 'function') {
    try {
      await credentials();
    } catch (error) {
      throw new TargetError(
        `no AWS credentials from the standard chain (environment, profile, SSO, instance role): ${(error as Error).message.split('\n')[0]}`,
      );
    }
  }
  const loadBalancerUrl = outputs.loadBalancerUrl!;
  const stickiness = outputs.stickiness!;
  const deployed = stickiness.on ? `sticky=${stickiness.mode} (${stickiness.seconds}s)` : 'sticky=off';
  const redeploy = (want: string) => `stickiness is fixed at deploy time and this stack has ${deployed}: redeploy with -c sticky=${want} to check it`;
  log(`patterns at ${loadBalancerUrl} (${deployed}); writers in ${outputs.regions.map((r) => r.region).join(', ')}`);

  const clients = new Map(
    outputs.regions.map((r) => [r.region, new RegionalClient({ url: r.url, region: r.region, credentials, timeoutMs: REQUEST_TIMEOUT_MS })]),
  );
  return {
    name: 'aws',
    description: `AWS stacks from ${options.outputsFile}`,
    capabilities: capabilityReport({
      ...(stickiness.on ? { 'sticky-off': redeploy('off') } : { 'sticky-on': redeploy('lb') }),
      ...(outputs.regions.length < 2 ? { 'multi-region-replication': `only one Region (${outputs.regions[0]?.region}) in ${options.outputsFile}` } : {}),
    }),
    tiers: {
      fargate: { tier: 'fargate', baseUrl: loadBalancerUrl, pathPrefix: '', expectedTierLabel: 'fargate' },
      lambda: { tier: 'lambda', baseUrl: loadBalancerUrl, pathPrefix: '/lambda', expectedTierLabel: 'lambda' },
    },
    regions: outputs.regions,
    loadBalancerCookie: /^AWSALB/,
    stickinessMode: stickiness.on ? stickiness.mode : 'lb',
    async setSticky(on) {
      if (on !== stickiness.on) throw new Error(redeploy(on ? 'lb' : 'off'));
    },
    regionalClient(region) {
      const client = clients.get(region);
      if (client === undefined) throw new Error(`${options.outputsFile} has no writer in ${region}`);
      return client;
    },
    replicationTimeoutMs: 30_000,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    checkTimeoutMs: 90_000,
    close: async () => undefined,
  };
}
