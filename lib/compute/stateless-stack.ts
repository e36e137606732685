import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env-names';
import { FARGATE_DB_POOL_MAX, LAMBDA_DB_POOL_MAX, lambdaReadsReplicasDirectly } from '../config/connection-budget';
import type { EdgeMode } from '../config/app-config';
import { PublicEntry, type PublicEntryWaf } from '../edge/public-entry';
import { allowReach, type PatternData, patternAccess } from './data-access';
import { PatternAlarms } from '../observability/pattern-alarms';
import { PatternDashboards } from '../observability/pattern-dashboards';
import { CostBudget, type CostBudgetProps } from '../observability/cost-budget';
import { FailoverOperationsFunction } from './failover-operations-function';
import { type FargateScalingOptions, FargateTier } from './fargate-tier';
import { databasePatterns, LambdaTier } from './lambda-tier';
import { PatternIngress, type StickinessOptions } from './reverse-proxy-ingress';
import type { GlobalConsistency, SessionStoreKind, StickyMode } from '../../lambdas/config/vocabulary';

export interface StatelessStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  readonly data: PatternData;
  /** Where the sessions pattern keeps sessions (the `sessionStore` context key): configuration, not data. */
  readonly sessionStore: SessionStoreKind;
  /** This Region's replica of the global table: the container also serves the multi-master routes. */
  readonly globalTable: dynamodb.ITableV2;
  readonly globalConsistency: GlobalConsistency;
  /** Regions holding the other replicas of the global table (for the replication-latency dashboard). */
  readonly globalReplicaRegions: readonly string[];
  /** Stickiness of the Fargate target group. @default - no stickiness */
  readonly stickiness?: StickinessOptions;
  /** Auto scaling of the Fargate tier. */
  readonly scaling: FargateScalingOptions;
  /**
   * Reserved concurrency of each pattern function behind the ALB; 0 = no reservation.
   * @default 0
   */
  readonly lambdaConcurrency?: number;
  /** Estimated max_connections of the database class (for the connection alarms). */
  readonly maxConnections: number;
  /** @default - alarms without actions */
  readonly alarmEmail?: string;
  /** @default 256 */
  readonly lambdaMemoryMb?: number;
  /** ACM certificate ARN for HTTPS on the ALB (edge=none only). @default - HTTP only */
  readonly certificateArn?: string;
  /**
   * `cloudfront`: a CloudFront distribution (HTTPS) in front of an internal ALB; `none`: the ALB is
   * internet-facing.
   * @default 'cloudfront'
   */
  readonly edge?: EdgeMode;
  /** A WAF web ACL on the edge, or on the ALB with edge=none. @default - no web ACL */
  readonly waf?: PublicEntryWaf;
  /** An AWS Budgets budget on the stacks' cost allocation tag. @default - no budget */
  readonly budget?: CostBudgetProps;
  /** CloudFront access logs kept this long (this stack must then be in us-east-1). @default - none from this stack */
  readonly edgeAccessLogRetention?: logs.RetentionDays;
}

/**
 * Everything stateless in the primary Region: the public entry (CloudFront or the ALB itself, with
 * its web ACL), the load balancer, the Lambda tier and the Fargate tier behind it. Replaceable at
 * will: all state lives in the data stack.
 */
export class StatelessStack extends Stack {
  readonly ingress: PatternIngress;
  readonly lambdaTier: LambdaTier;
  readonly fargateTier: FargateTier;
  readonly failoverOperations: FailoverOperationsFunction;
  readonly alarms: PatternAlarms;
  readonly entry: PublicEntry;
  /** @default - no budget (budgetMonthlyUsd unset) */
  readonly costBudget?: CostBudget;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);

    const edge = props.edge ?? 'cloudfront';
    this.ingress = new PatternIngress(this, 'Ingress', {
      vpc: props.vpc,
      certificate:
        props.certificateArn === undefined
          ? undefined
          : acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      internetFacing: edge === 'none',
    });
    this.entry = new PublicEntry(this, 'Entry', { vpc: props.vpc, ingress: this.ingress, edge, waf: props.waf, namePrefix: id, accessLogRetention: props.edgeAccessLogRetention });
    // Both tiers trust only the header the proxy in front of them sets (cookie `Secure` rule).
    const proxyEnvironment = { [ENV.forwardedProtoHeader]: this.entry.forwardedProtoHeader };

    const lambdaConcurrency = props.lambdaConcurrency ?? 0;
    const dbProxy = props.data.database.proxy !== undefined;
    this.lambdaTier = new LambdaTier(this, 'LambdaTier', {
      vpc: props.vpc,
      data: props.data,
      sessionStore: props.sessionStore,
      memorySize: props.lambdaMemoryMb,
      reservedConcurrency: lambdaConcurrency,
      // Many environments, one request each: the primary through the proxy, one connection per node.
      databaseRouting: { poolMax: LAMBDA_DB_POOL_MAX, viaProxy: true, replicas: lambdaReadsReplicasDirectly({ lambdaConcurrency, dbProxy }) },
      environment: proxyEnvironment,
    });
    if (!lambdaReadsReplicasDirectly({ lambdaConcurrency, dbProxy }) && props.data.database.replicas.length > 0) {
      Annotations.of(this.lambdaTier).addWarningV2(
        'patterns:lambda-reads-through-proxy',
        'lambdaConcurrency=0: nothing bounds the Lambda environments, so the Lambda tier reads through RDS Proxy (the primary) instead of the read replicas, which a proxy cannot front. /lambda/notes shows no replica reads; the Fargate tier still does.',
      );
    }
    this.lambdaTier.patterns.forEach((pattern, index) => {
      this.ingress.addLambdaRoute(pattern.id, {
        function: this.lambdaTier.functions.get(pattern.id)!,
        pathPatterns: pattern.pathPatterns,
        priority: (index + 1) * 10,
      });
    });
    if (props.sessionStore === 'memory') {
      Annotations.of(this.lambdaTier).addWarningV2(
        'patterns:memory-sessions-on-lambda',
        'sessionStore=memory: the Lambda tier keeps sessions per execution environment and ALB stickiness cannot pin Lambda targets, so /lambda/session will lose sessions. Use the Fargate tier with stickiness to see the stateful pattern.',
      );
    }

    // The container serves every pattern, so it gets the union of what the patterns use.
    // Fargate goes direct to the primary: its connections are already bounded (fargateMaxTasks x pool),
    // and the proxy's share of max_connections stays for the tier that needs it (see README).
    const access = patternAccess(['database', 'cache', 'sessions'], props.data, {
      poolMax: FARGATE_DB_POOL_MAX,
      viaProxy: false,
      replicas: true,
    }, props.sessionStore);
    const stickyCookieName = props.stickiness?.mode === 'app' ? props.stickiness.cookieName : undefined;
    this.fargateTier = new FargateTier(this, 'FargateTier', {
      vpc: props.vpc,
      environment: {
        [ENV.tier]: 'fargate',
        ...proxyEnvironment,
        ...access.environment,
        [ENV.globalTableName]: props.globalTable.tableName,
        [ENV.globalConsistency]: props.globalConsistency,
        ...(stickyCookieName === undefined ? {} : { [ENV.stickyAppCookieName]: stickyCookieName }),
      },
    });
    const service = this.fargateTier.service;
    for (const grant of access.grants) grant(service.taskDefinition.taskRole);
    props.globalTable.grant(service.taskDefinition.taskRole, 'dynamodb:Query', 'dynamodb:PutItem');
    allowReach(this.fargateTier, access, service, 'the Fargate tier');
    const fargateTargetGroup = this.ingress.routeDefaultToService(service, props.stickiness);
    this.fargateTier.autoScale(fargateTargetGroup, props.scaling);

    this.failoverOperations = new FailoverOperationsFunction(this, 'FailoverOperations', {
      primary: props.data.database.primary,
      replicas: props.data.database.replicas,
    });

    const proxy = props.data.database.proxy;
    // Each environment of a database function opens at most one proxy client connection (LAMBDA_DB_POOL_MAX).
    const expectedClients = lambdaConcurrency * databasePatterns(this.lambdaTier.patterns).length * LAMBDA_DB_POOL_MAX;
    this.alarms = new PatternAlarms(this, 'Alarms', {
      loadBalancer: this.ingress.loadBalancer,
      functions: this.lambdaTier.functions,
      service,
      fargateMaxTasks: props.scaling.maxTasks,
      primary: props.data.database.primary,
      replicas: props.data.database.replicas,
      maxConnections: props.maxConnections,
      proxy:
        proxy === undefined
          ? undefined
          : { proxy, clientConnectionsThreshold: expectedClients > 0 ? expectedClients : 10 * props.maxConnections },
      alarmEmail: props.alarmEmail,
    });

    new PatternDashboards(this, 'Dashboards', {
      namePrefix: id,
      fargateTargetGroup,
      lambdaTargetGroups: this.ingress.lambdaTargetGroups,
      functions: this.lambdaTier.functions,
      primary: props.data.database.primary,
      replicas: props.data.database.replicas,
      cache: props.data.cache,
      globalTable: props.globalTable,
      replicaRegions: props.globalReplicaRegions,
      alarms: this.alarms.alarms,
    });

    if (props.budget !== undefined) {
      this.costBudget = new CostBudget(this, 'CostBudget', props.budget);
    }

    new CfnOutput(this, 'PatternsUrl', {
      value: this.entry.url,
      description: 'The address to open: /lambda/* goes to the Lambda tier, the rest to Fargate',
    });
    new CfnOutput(this, 'LoadBalancerUrl', {
      value: `${this.ingress.secure ? 'https' : 'http'}://${this.ingress.loadBalancer.loadBalancerDnsName}`,
      description: edge === 'none' ? 'The ALB (the same address as PatternsUrl)' : 'The internal ALB: reachable only from the VPC, through PatternsUrl',
    });
    new CfnOutput(this, 'FailoverFunctionName', {
      value: this.failoverOperations.function.functionName,
      description: 'aws lambda invoke --function-name <this> --payload \'{"action":"describe"}\' out.json',
    });
    new CfnOutput(this, 'StickySessions', {
      value: props.stickiness === undefined ? 'off' : `${props.stickiness.mode}:${props.stickiness.duration.toSeconds()}s`,
    });
  }
}

/** Converts the configured stickiness into target-group options. */
export function stickinessFromConfig(
  sticky: StickyMode,
  durationSeconds: number,
  cookieName: string | undefined,
): StickinessOptions | undefined {
  if (sticky === 'off') return undefined;
  return { mode: sticky, duration: Duration.seconds(durationSeconds), cookieName };
}
