import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { ProxyAccess } from '../data/data-references';

/** Thresholds of the alarms; each one is what would make someone look. */
export const ALARM_THRESHOLDS = {
  /** Seconds a read replica may lag before reads from it are noticeably stale. */
  replicaLagSeconds: 30,
  /** Share of max_connections in use on a node (the budget keeps the worst case below 100%). */
  databaseConnectionsRatio: 0.8,
  /** Share of 5xx answers among the ALB's requests (percent). */
  http5xxPercent: 5,
  /** p99 of the targets' response time, seconds (the runtime bounds a request at ~8 s). */
  targetResponseTimeP99Seconds: 2,
} as const;

export interface PatternAlarmsProps {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** Pattern functions behind the ALB (their throttles mean the concurrency guard is shedding load). */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  readonly service: ecs.FargateService;
  /** The scalable target's ceiling: running at it means auto scaling has nothing left to give. */
  readonly fargateMaxTasks: number;
  readonly primary: rds.IDatabaseInstance;
  readonly replicas: readonly rds.IDatabaseInstance[];
  /** Estimated max_connections of every node (the connection budget's figure). */
  readonly maxConnections: number;
  /** @default - no proxy alarm */
  readonly proxy?: {
    readonly proxy: ProxyAccess;
    /** Client connections above which the proxy is queueing more than the Lambda tier should open. */
    readonly clientConnectionsThreshold: number;
  };
  /** @default - alarms without actions (visible on the dashboard and in the console) */
  readonly alarmEmail?: string;
}

const PERIOD = Duration.minutes(1);

/**
 * The alarms that would page someone: replica lag, database connections near max_connections, proxy
 * client connections, ALB 5xx rate, p99 response time, Lambda throttles, Fargate at its maximum.
 * With `alarmEmail`, every alarm notifies an SNS topic that emails that address.
 */
export class PatternAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly topic?: sns.Topic;

  constructor(scope: Construct, id: string, props: PatternAlarmsProps) {
    super(scope, id);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, threshold: number, description: string, evaluationPeriods = 3) => {
      this.alarms.push(
        new cloudwatch.Alarm(this, alarmId, {
          metric,
          threshold,
          evaluationPeriods,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription: description,
        }),
      );
    };

    props.replicas.forEach((replica, index) =>
      alarm(
        `Replica${index + 1}Lag`,
        replica.metric('ReplicaLag', { statistic: 'Maximum', period: PERIOD }),
        ALARM_THRESHOLDS.replicaLagSeconds,
        `Read replica ${index + 1} is ${ALARM_THRESHOLDS.replicaLagSeconds} s or more behind the primary`,
      ),
    );
    const connectionsLimit = Math.floor(props.maxConnections * ALARM_THRESHOLDS.databaseConnectionsRatio);
    [props.primary, ...props.replicas].forEach((instance, index) =>
      alarm(
        index === 0 ? 'PrimaryConnections' : `Replica${index}Connections`,
        instance.metric('DatabaseConnections', { statistic: 'Maximum', period: PERIOD }),
        connectionsLimit,
        `${index === 0 ? 'Primary' : `Replica ${index}`}: connections at 80% of max_connections (${props.maxConnections})`,
      ),
    );
    if (props.proxy !== undefined) {
      alarm(
        'ProxyClientConnections',
        props.proxy.proxy.metricClientConnections({ statistic: 'Maximum', period: PERIOD }),
        props.proxy.clientConnectionsThreshold,
        'RDS Proxy: more client connections than the Lambda tier should open',
      );
    }

    const lbMetrics = props.loadBalancer.metrics;
    alarm(
      'Http5xxRate',
      new cloudwatch.MathExpression({
        expression: '100 * (elb5xx + target5xx) / requests',
        usingMetrics: {
          elb5xx: lbMetrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: PERIOD }),
          target5xx: lbMetrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: PERIOD }),
          requests: lbMetrics.requestCount({ period: PERIOD }),
        },
        label: '5xx %',
        period: PERIOD,
      }),
      ALARM_THRESHOLDS.http5xxPercent,
      `More than ${ALARM_THRESHOLDS.http5xxPercent}% of requests answered 5xx (ALB or targets; 503 = Lambda throttled or no healthy task)`,
    );
    alarm(
      'TargetResponseTimeP99',
      lbMetrics.targetResponseTime({ statistic: 'p99', period: PERIOD }),
      ALARM_THRESHOLDS.targetResponseTimeP99Seconds,
      `p99 target response time at ${ALARM_THRESHOLDS.targetResponseTimeP99Seconds} s or more`,
    );

    const throttles = [...props.functions.values()].map((fn) => fn.metricThrottles({ statistic: 'Sum', period: PERIOD }));
    alarm(
      'LambdaThrottles',
      new cloudwatch.MathExpression({
        expression: throttles.map((_, i) => `t${i}`).join(' + '),
        usingMetrics: Object.fromEntries(throttles.map((metric, i) => [`t${i}`, metric])),
        label: 'throttles',
        period: PERIOD,
      }),
      1,
      'Pattern functions throttled: the concurrency guard (lambdaConcurrency) is shedding load',
      1,
    );
    alarm(
      'FargateAtMaxTasks',
      new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName: 'RunningTaskCount',
        dimensionsMap: { ClusterName: props.service.cluster.clusterName, ServiceName: props.service.serviceName },
        statistic: 'Maximum',
        period: PERIOD,
      }),
      props.fargateMaxTasks,
      `The Fargate service runs fargateMaxTasks (${props.fargateMaxTasks}) tasks: auto scaling has nothing left to add`,
      5,
    );

    if (props.alarmEmail !== undefined) {
      this.topic = new sns.Topic(this, 'Topic', { displayName: 'Scalability patterns alarms', enforceSSL: true });
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      const action = new actions.SnsAction(this.topic);
      for (const each of this.alarms) each.addAlarmAction(action);
    }
  }
}
