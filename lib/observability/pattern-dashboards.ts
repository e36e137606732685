import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { CacheAccess } from '../data/data-references';
import { PATTERN_METRICS, PATTERN_METRICS_NAMESPACE, PATTERN_METRICS_SERVICE, type PatternMetricName } from '../../lambdas/observability/metric-names';

export interface PatternDashboardsProps {
  /** Prefix of every dashboard name, e.g. `Patterns`. */
  readonly namePrefix: string;
  readonly fargateTargetGroup: elbv2.ApplicationTargetGroup;
  /** Lambda-tier target groups by route name. */
  readonly lambdaTargetGroups: ReadonlyMap<string, elbv2.ApplicationTargetGroup>;
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  readonly primary: rds.IDatabaseInstance;
  readonly replicas: readonly rds.IDatabaseInstance[];
  /** The Valkey replication group id (its primary node is `<id>-001`). */
  /** The cache whose hit ratio and commands are graphed. */
  readonly cache: CacheAccess;
  readonly globalTable: dynamodb.ITableV2;
  /** Regions that receive the global table's replication, besides this stack's. */
  readonly replicaRegions: readonly string[];
  /** Alarms shown on the `Alarms` dashboard. @default - no alarm dashboard */
  readonly alarms?: readonly cloudwatch.IAlarm[];
}

const PERIOD = Duration.minutes(1);

/** One of the application's EMF metrics (both tiers emit them; see `lambdas/observability/pattern-metrics.ts`). */
function appMetric(metricName: PatternMetricName): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: PATTERN_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: PATTERN_METRICS_SERVICE },
    statistic: 'Sum',
    period: PERIOD,
  });
}

/** A graph of application counts per minute. */
function appGraph(title: string, names: readonly PatternMetricName[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left: names.map(appMetric), width: 12 });
}

/**
 * One CloudWatch dashboard per pattern, with the figures that show its trade-off on AWS: requests per
 * target (spread and stickiness), replica lag per read replica, cache hit ratio, global-table
 * replication latency and conditional-write failures; and the application's own EMF counts (cache
 * outcomes, sessions created/lost, read-your-writes outcomes, conflicts, counter increments).
 */
export class PatternDashboards extends Construct {
  readonly dashboards: readonly cloudwatch.Dashboard[];

  constructor(scope: Construct, id: string, props: PatternDashboardsProps) {
    super(scope, id);
    const dashboard = (name: string, widgets: cloudwatch.IWidget[][]) =>
      new cloudwatch.Dashboard(this, name, { dashboardName: `${props.namePrefix}-${name}`, widgets, defaultInterval: Duration.hours(3) });

    const lambdaRequests = [...props.lambdaTargetGroups].map(([name, group]) => group.metrics.requestCount({ label: `lambda ${name}`, period: PERIOD }));
    const reverseProxy = dashboard('ReverseProxy', [
      [
        new cloudwatch.GraphWidget({
          title: 'Requests per tier (one load balancer, many targets)',
          left: [props.fargateTargetGroup.metrics.requestCount({ label: 'fargate', period: PERIOD }), ...lambdaRequests],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: 'Healthy Fargate tasks / requests per task',
          left: [props.fargateTargetGroup.metrics.healthyHostCount({ period: PERIOD })],
          right: [props.fargateTargetGroup.metrics.requestCountPerTarget({ period: PERIOD })],
          width: 12,
        }),
      ],
      [
        new cloudwatch.GraphWidget({
          title: 'Lambda concurrent executions (one request at a time per environment)',
          left: [...props.functions].map(([name, fn]) => fn.metric('ConcurrentExecutions', { label: name, statistic: 'Maximum', period: PERIOD })),
          width: 24,
        }),
      ],
    ]);

    const cacheMetric = (metricName: string) => props.cache.metric(metricName, { statistic: 'Sum', period: PERIOD });
    const cache = dashboard('CacheAndSessions', [
      [
        new cloudwatch.GraphWidget({
          title: 'Cache hit ratio (%)',
          left: [
            new cloudwatch.MathExpression({
              expression: '100 * hits / (hits + misses)',
              usingMetrics: { hits: cacheMetric('CacheHits'), misses: cacheMetric('CacheMisses') },
              label: 'hit ratio',
              period: PERIOD,
            }),
          ],
          leftYAxis: { min: 0, max: 100 },
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: 'Cache commands and connections (sessions live here)',
          left: [cacheMetric('GetTypeCmds'), cacheMetric('SetTypeCmds')],
          right: [props.cache.metric('CurrConnections', { period: PERIOD })],
          width: 12,
        }),
      ],
      [
        // What the application saw, which the engine's own counters cannot tell apart.
        appGraph('Cache-aside reads: hit, miss, bypass (cache down)', [PATTERN_METRICS.cacheHit, PATTERN_METRICS.cacheMiss, PATTERN_METRICS.cacheBypass]),
        appGraph('Sessions created vs lost (a cookie whose session is gone)', [PATTERN_METRICS.sessionCreated, PATTERN_METRICS.sessionLost]),
      ],
    ]);

    const replication = dashboard('ReadReplicas', [
      [
        new cloudwatch.GraphWidget({
          title: 'Replica lag (seconds) per read replica',
          left: props.replicas.map((replica, index) => replica.metric('ReplicaLag', { label: `replica-${index + 1}`, statistic: 'Maximum', period: PERIOD })),
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: 'Read IOPS: primary vs replicas (read scaling)',
          left: [props.primary, ...props.replicas].map((instance, index) =>
            instance.metric('ReadIOPS', { label: index === 0 ? 'primary' : `replica-${index}`, period: PERIOD }),
          ),
          right: [props.primary.metric('WriteIOPS', { label: 'primary writes', period: PERIOD })],
          width: 12,
        }),
      ],
      [
        appGraph('Read-your-writes reads: caught-up replica, primary fallback, unverified', [
          PATTERN_METRICS.readYourWritesCaughtUp,
          PATTERN_METRICS.readYourWritesFallback,
          PATTERN_METRICS.readYourWritesUnverified,
        ]),
        appGraph('Counter increments (hot row and sharded)', [PATTERN_METRICS.counterIncrement]),
      ],
    ]);

    const multiMaster = dashboard('MultiMaster', [
      [
        new cloudwatch.GraphWidget({
          title: 'Global table replication latency (ms) to each Region',
          left: props.replicaRegions.map((region) =>
            props.globalTable.metric('ReplicationLatency', {
              dimensionsMap: { TableName: props.globalTable.tableName, ReceivingRegion: region },
              label: region,
              statistic: 'Average',
              period: PERIOD,
            }),
          ),
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: 'Conditional writes refused (optimistic locking)',
          left: [props.globalTable.metricConditionalCheckFailedRequests({ period: PERIOD, statistic: 'Sum' })],
          width: 12,
        }),
      ],
      [appGraph('Conflicts detected: this Region\'s last write overwritten (last writer wins)', [PATTERN_METRICS.conflictDetected])],
    ]);

    const alarms =
      props.alarms === undefined || props.alarms.length === 0
        ? []
        : [
            dashboard('Alarms', [
              [new cloudwatch.AlarmStatusWidget({ title: 'What would page someone', alarms: [...props.alarms], width: 24, height: 8 })],
            ]),
          ];

    this.dashboards = [reverseProxy, cache, replication, multiMaster, ...alarms];
  }
}
