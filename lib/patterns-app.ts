import { Annotations, type App, Aws, Duration, RemovalPolicy, type Environment } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { type AppConfig, AppConfigError, allRegions, type ParsedAppConfig } from './config/app-config';
import { connectionBudgetProblem, maxConnectionsFor } from './config/connection-budget';
import { SCALING_POLICY } from './config/scaling-policy';
import { databasePatterns } from './compute/lambda-tier';
import { StatelessStack, stickinessFromConfig } from './compute/stateless-stack';
import { DataStack } from './data/data-stack';
import { EdgeLogsStack } from './edge/edge-logs-stack';
import { EdgeWafStack } from './edge/edge-waf-stack';
import { CLOUDFRONT_WAF_REGION } from './edge/pattern-web-acl';
import { COST_ALLOCATION_TAG } from './observability/cost-budget';
import { estimateCost, MissingPriceError } from './config/cost-model';
import { GlobalTableStack } from './multi-master/multi-master-table-stack';
import { RegionalStack } from './multi-master/multi-master-regional-stack';
import { acknowledgeGuardFindings, acknowledgeMultiMasterGuardFindings } from './nag/guard-acknowledgements';
import { acknowledgeNagFindings } from './nag/nag-acknowledgements';
import { NetworkStack } from './network/network-stack';
import type { AppStacks, MultiMasterStacks, PatternStacks } from './pattern-stacks';

// Their own module, so that lib/nag/* can name the stacks without importing this one (which imports lib/nag/*).
export type { AppStacks, MultiMasterStacks, PatternStacks } from './pattern-stacks';

export const STACK_PREFIX = 'Patterns';

/**
 * Creates every stack of the app from a validated configuration: stateful stacks (network, data,
 * global table) apart from stateless ones (compute, one regional stack per Region), connected by
 * typed references. `bin/app.ts` and the tests both build the app through this function.
 */
export function addPatternStacks(app: App, config: AppConfig, warnings: readonly string[] = []): PatternStacks {
  if (app.node.tryGetContext('profile') === 'localstack') {
    // Guard for an entry point that ignores the profile: never deploy the full app to LocalStack.
    throw new AppConfigError(['profile: got "localstack"; allowed: full here (build the app with addAppStacks to synthesize the localstack profile)']);
  }
  // Before any construct: a deployment that can exhaust the database's connections is refused.
  const problems = deploymentProblems(config);
  if (problems.length > 0) throw new AppConfigError(problems);
  const primaryEnv = envFor(config, config.primaryRegion);

  const network = new NetworkStack(app, `${STACK_PREFIX}-Network`, {
    env: primaryEnv,
    description: 'Scalability patterns: VPC with public, private and isolated subnets',
    natGateways: config.natGateways,
    interfaceEndpoints: config.interfaceEndpoints,
    availabilityZones: config.availabilityZones,
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
    dbProxy: config.dbProxy,
  });

  const { globalTable, regional } = addMultiMasterStacks(app, config);

  const statelessId = `${STACK_PREFIX}-Stateless`;
  // RetentionDays values are the numbers of days; 0 turns the edge logs off.
  const edgeLogRetention = config.edgeLogRetentionDays === 0 ? undefined : (config.edgeLogRetentionDays as logs.RetentionDays);
  const edgeInUsEast1 = config.primaryRegion === CLOUDFRONT_WAF_REGION;
  const edgeLogsElsewhere = config.edge === 'cloudfront' && edgeLogRetention !== undefined && !edgeInUsEast1;
  const edgeWaf =
    config.edge === 'cloudfront' && config.waf && config.primaryRegion !== CLOUDFRONT_WAF_REGION
      ? new EdgeWafStack(app, `${STACK_PREFIX}-EdgeWaf`, {
          env: envFor(config, CLOUDFRONT_WAF_REGION),
          description: 'Scalability patterns: the CloudFront web ACL (CLOUDFRONT scope lives in us-east-1)',
          webAclName: `${statelessId}-Edge`,
          rateLimit: config.wafRateLimit,
          logRetention: edgeLogRetention,
          crossRegionReferences: true,
        })
      : undefined;

  const stateless = new StatelessStack(app, statelessId, {
    env: primaryEnv,
    crossRegionReferences: edgeWaf !== undefined || edgeLogsElsewhere,
    description: 'Scalability patterns: public entry (CloudFront + WAF, or the ALB), ALB, Lambda tier and Fargate tier',
    vpc: network.vpc,
    data: {
      database: data.databaseAccess,
      cache: data.cache,
      sessionSigningKey: data.sessionSigningKey,
    },
    sessionStore: config.sessionStore,
    globalTable: globalTable.table,
    globalConsistency: config.globalConsistency,
    globalReplicaRegions: config.replicaRegions,
    stickiness: stickinessFromConfig(config.sticky, config.stickyDurationSeconds, config.stickyCookieName),
    scaling: {
      minTasks: config.fargateMinTasks,
      maxTasks: config.fargateMaxTasks,
      requestsPerTask: config.targetRequestsPerTask,
      cpuTargetPercent: SCALING_POLICY.cpuTargetPercent,
      scaleOutCooldown: Duration.seconds(SCALING_POLICY.scaleOutCooldownSeconds),
      scaleInCooldown: Duration.seconds(SCALING_POLICY.scaleInCooldownSeconds),
    },
    lambdaConcurrency: config.lambdaConcurrency,
    // The budget above has accepted the class, so the estimate exists.
    maxConnections: maxConnectionsFor(config.dbInstanceClass) as number,
    alarmEmail: config.alarmEmail,
    lambdaMemoryMb: config.lambdaMemoryMb,
    certificateArn: config.certificateArn,
    edge: config.edge,
    waf: config.waf ? { rateLimit: config.wafRateLimit, cloudFrontWebAcl: edgeWaf?.webAcl, logRetention: edgeLogRetention } : undefined,
    edgeAccessLogRetention: edgeInUsEast1 ? edgeLogRetention : undefined,
    // parseAppConfig accepts a budget only with alarmEmail.
    budget: config.budgetMonthlyUsd === undefined ? undefined : { monthlyUsd: config.budgetMonthlyUsd, email: config.alarmEmail as string },
  });
  for (const warning of [...warnings, ...budgetWarnings(config)]) {
    Annotations.of(stateless).addWarningV2('patterns:configuration', warning);
  }

  const distribution = stateless.entry.edge?.distribution;
  const edgeLogs =
    edgeLogsElsewhere && distribution !== undefined && edgeLogRetention !== undefined
      ? new EdgeLogsStack(app, `${STACK_PREFIX}-EdgeLogs`, {
          env: envFor(config, CLOUDFRONT_WAF_REGION),
          description: 'Scalability patterns: CloudFront access logs (delivered from us-east-1)',
          distributionArn: distribution.distributionArn,
          namePrefix: statelessId,
          retention: edgeLogRetention,
          crossRegionReferences: true,
        })
      : undefined;

  const stacks = { network, data, globalTable, regional, stateless, edgeWaf, edgeLogs };
  if (config.budgetMonthlyUsd !== undefined) {
    // Stack tags: CloudFormation applies them to every resource that supports tags, and the
    // templates stay as they are. Only with a budget, which is what needs them.
    for (const stack of [network, data, globalTable, ...regional, stateless, edgeWaf, edgeLogs]) {
      stack?.tags.setTag(COST_ALLOCATION_TAG.key, COST_ALLOCATION_TAG.value);
    }
  }
  return stacks;
}

/**
 * What the full app refuses in a valid configuration before creating any construct: a worst case of
 * database connections beyond max_connections. `npm run cost` applies the same check, so a
 * configuration it prices is one synth accepts.
 */
export function deploymentProblems(config: AppConfig): string[] {
  const budgetProblem = connectionBudgetProblem({
    dbInstanceClass: config.dbInstanceClass,
    readReplicas: config.readReplicas,
    fargateMaxTasks: config.fargateMaxTasks,
    lambdaConcurrency: config.lambdaConcurrency,
    dbProxy: config.dbProxy,
    lambdaDatabaseFunctions: databasePatterns().length,
  });
  return budgetProblem === undefined ? [] : [budgetProblem];
}

/** A budget below the configuration's own idle estimate would alert every month: synth and `npm run cost` say so. */
export function budgetWarnings(config: AppConfig): string[] {
  if (config.budgetMonthlyUsd === undefined) return [];
  try {
    const idle = estimateCost(config).monthly;
    return config.budgetMonthlyUsd < idle
      ? [`budgetMonthlyUsd=${config.budgetMonthlyUsd} is below this configuration's idle estimate ($${idle.toFixed(2)} a month, npm run cost): the budget will alert every month.`]
      : [];
  } catch (error) {
    if (error instanceof MissingPriceError) return [];
    throw error;
  }
}

function envFor(config: AppConfig, region: string): Environment {
  return { account: config.account, region };
}

/** Physical name of the global table in the `localstack` profile (see addLocalStackStacks). */
export const LOCALSTACK_TABLE_NAME = 'patterns-global';

function addGlobalTableStack(app: App, config: AppConfig): GlobalTableStack {
  return new GlobalTableStack(app, `${STACK_PREFIX}-GlobalTable`, {
    env: envFor(config, config.primaryRegion),
    description: 'Scalability patterns: DynamoDB global table (multi-master)',
    replicaRegions: config.replicaRegions,
    consistency: config.globalConsistency,
    witnessRegion: config.witnessRegion,
    removalPolicy: config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  });
}

/** One regional writer per Region, each on `tableIn(region)`: that Region's replica of the table. */
function addRegionalStacks(app: App, config: AppConfig, tableIn: (region: string) => dynamodb.ITableV2): RegionalStack[] {
  return allRegions(config).map(
    (region) =>
      new RegionalStack(app, `${STACK_PREFIX}-Regional-${region}`, {
        env: envFor(config, region),
        description: `Scalability patterns: multi-master writer in ${region}`,
        table: tableIn(region),
        consistency: config.globalConsistency,
        memorySize: config.lambdaMemoryMb,
        crossRegionReferences: region !== config.primaryRegion,
      }),
  );
}

/**
 * The multi-master stacks of the full app: the global table in the primary Region and one regional
 * writer (Lambda + IAM-authenticated Function URL) per Region, on its Region's replica.
 */
function addMultiMasterStacks(app: App, config: AppConfig): MultiMasterStacks {
  const globalTable = addGlobalTableStack(app, config);
  const regional = addRegionalStacks(app, config, (region) => globalTable.table.replica(region));
  return { globalTable, regional };
}

/**
 * The `localstack` profile: the global table and the regional writers only. LocalStack's free tier
 * runs DynamoDB and Lambda (with Function URLs); the VPC, RDS, ElastiCache, the ALB and ECS are in
 * its paid tiers, so the network, data and stateless stacks are left out.
 *
 * @example
 * addLocalStackStacks(app, parseAppConfig(read).config); // npx cdklocal deploy --all -c profile=localstack
 */
export function addLocalStackStacks(app: App, config: AppConfig): MultiMasterStacks {
  const globalTable = addGlobalTableStack(app, config);
  // A fixed physical name, so that each writer names its Region's replica by a literal ARN instead of
  // a cross-stack, cross-Region reference (`Fn::GetStackOutput`, which the emulator may not resolve).
  (globalTable.table.node.defaultChild as dynamodb.CfnGlobalTable).tableName = LOCALSTACK_TABLE_NAME;
  const regional = addRegionalStacks(app, config, (region) =>
    dynamodb.TableV2.fromTableAttributes(globalTable, `Replica-${region}`, {
      tableArn: `arn:${Aws.PARTITION}:dynamodb:${region}:${Aws.ACCOUNT_ID}:table/${LOCALSTACK_TABLE_NAME}`,
    }),
  );
  // No reference orders the deployment any more: the table first, then its writers.
  for (const stack of regional) stack.addStackDependency(globalTable, 'the writers use the global table');
  // The configuration warnings are about stickiness and sessions, which this profile does not deploy.
  Annotations.of(globalTable).addInfo(
    'profile=localstack: only the global table and the regional writers are synthesized (no VPC, RDS, ElastiCache, ALB or ECS: LocalStack paid tiers).',
  );
  return { globalTable, regional };
}

/**
 * Creates the stacks the configured profile asks for, with their cdk-nag and cfn-guard
 * acknowledgements: the one call an entry point (`bin/app.ts`) needs.
 *
 * @example
 * const added = addAppStacks(app, parseAppConfig((key) => app.node.tryGetContext(key)));
 */
export function addAppStacks(app: App, parsed: ParsedAppConfig): AppStacks {
  if (parsed.profile === 'localstack') {
    const stacks = addLocalStackStacks(app, parsed.config);
    acknowledgeMultiMasterGuardFindings(stacks);
    return { profile: 'localstack', stacks };
  }
  const stacks = addPatternStacks(app, parsed.config, parsed.warnings);
  acknowledgeNagFindings(stacks);
  acknowledgeGuardFindings(stacks);
  return { profile: 'full', stacks };
}
