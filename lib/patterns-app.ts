import { Annotations, type App, RemovalPolicy, type Environment } from 'aws-cdk-lib';
import { type AppConfig, allRegions } from './config/app-config';
import { StatelessStack, stickinessFromConfig } from './compute/stateless-stack';
import { DataStack } from './data/data-stack';
import { GlobalTableStack } from './global/global-table-stack';
import { RegionalStack } from './global/regional-stack';
import { NetworkStack } from './network/network-stack';

export const STACK_PREFIX = 'Patterns';

export interface PatternStacks {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly globalTable: GlobalTableStack;
  /** One per Region, the primary Region first. */
  readonly regional: readonly RegionalStack[];
  readonly stateless: StatelessStack;
}

/**
 * Creates every stack of the app from a validated configuration: stateful stacks (network, data,
 * global table) apart from stateless ones (compute, one regional stack per Region), connected by
 * typed references. `bin/app.ts` and the tests both build the app through this function.
 */
export function addPatternStacks(app: App, config: AppConfig, warnings: readonly string[] = []): PatternStacks {
  const envFor = (region: string): Environment => ({ account: config.account, region });
  const primaryEnv = envFor(config.primaryRegion);

  const network = new NetworkStack(app, `${STACK_PREFIX}-Network`, {
    env: primaryEnv,
    description: 'Scalability patterns: VPC with public, private and isolated subnets',
    natGateways: config.natGateways,
    interfaceEndpoints: config.interfaceEndpoints,
  });

  const data = new DataStack(app, `${STACK_PREFIX}-Data`, {
    env: primaryEnv,
    description: 'Scalability patterns: PostgreSQL primary + read replicas, Valkey cache, session signing key',
    vpc: network.vpc,
    dbInstanceClass: config.dbInstanceClass,
    readReplicas: config.readReplicas,
    dbReplication: config.dbReplication,
    cacheNodeType: config.cacheNodeType,
    cacheReplicas: config.cacheReplicas,
    removalPolicy: config.removalPolicy,
  });

  const globalTable = new GlobalTableStack(app, `${STACK_PREFIX}-GlobalTable`, {
    env: primaryEnv,
    description: 'Scalability patterns: DynamoDB global table (multi-master)',
    replicaRegions: config.replicaRegions,
    consistency: config.globalConsistency,
    witnessRegion: config.witnessRegion,
    removalPolicy: config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  });

  const regional = allRegions(config).map(
    (region) =>
      new RegionalStack(app, `${STACK_PREFIX}-Regional-${region}`, {
        env: envFor(region),
        description: `Scalability patterns: multi-master writer in ${region}`,
        table: globalTable.table.replica(region),
        consistency: config.globalConsistency,
        memorySize: config.lambdaMemoryMb,
        crossRegionReferences: region !== config.primaryRegion,
      }),
  );

  const stateless = new StatelessStack(app, `${STACK_PREFIX}-Stateless`, {
    env: primaryEnv,
    description: 'Scalability patterns: ALB, Lambda tier and Fargate tier',
    vpc: network.vpc,
    data: {
      database: data.database,
      cache: data.cache,
      sessionSigningKey: data.sessionSigningKey,
      sessionStore: config.sessionStore,
    },
    globalTable: globalTable.table,
    globalConsistency: config.globalConsistency,
    globalReplicaRegions: config.replicaRegions,
    stickiness: stickinessFromConfig(config.sticky, config.stickyDurationSeconds, config.stickyCookieName),
    fargateTasks: config.fargateTasks,
    lambdaMemoryMb: config.lambdaMemoryMb,
    certificateArn: config.certificateArn,
  });
  for (const warning of warnings) {
    Annotations.of(stateless).addWarningV2('patterns:configuration', warning);
  }

  return { network, data, globalTable, regional, stateless };
}
