import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CONTAINER_PORT } from './reverse-proxy-ingress';
import { serverImage } from './server-image';
import { TASK_DRAIN } from './task-drain';
import { FARGATE_TASK_SIZE } from '../config/scaling-policy';

/** The Fargate tier's scaling policy (SCALING_POLICY with the context overrides applied). */
export interface FargateScalingOptions {
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Target of ALBRequestCountPerTarget: requests per task per minute. */
  readonly requestsPerTask: number;
  /** Target of the CPU policy (average percent of the service). */
  readonly cpuTargetPercent: number;
  readonly scaleOutCooldown: Duration;
  readonly scaleInCooldown: Duration;
}

export interface FargateTierProps {
  readonly vpc: ec2.IVpc;
  /** Plain environment of the container (endpoints, modes, secret ARNs; never secret values). */
  readonly environment: Record<string, string>;
  /** @default FARGATE_TASK_SIZE.cpu (256 = 0.25 vCPU) */
  readonly cpu?: number;
  /** @default FARGATE_TASK_SIZE.memoryMiB */
  readonly memoryLimitMiB?: number;
}

/**
 * The container tier: the same routes as the Lambda tier, served by `lambdas/server/container-server.ts`
 * in an ECS Fargate service (arm64). The image is built from the repository's `Dockerfile` at deploy
 * time, from a context holding only what the server needs (see serverImage). Tasks run in private subnets and are reachable only through the load balancer.
 */
export class FargateTier extends Construct {
  readonly service: ecs.FargateService;
  readonly cluster: ecs.Cluster;

  constructor(scope: Construct, id: string, props: FargateTierProps) {
    super(scope, id);
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu ?? FARGATE_TASK_SIZE.cpu,
      memoryLimitMiB: props.memoryLimitMiB ?? FARGATE_TASK_SIZE.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.TWO_WEEKS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    taskDefinition.addContainer('App', {
      image: serverImage(),
      portMappings: [{ containerPort: CONTAINER_PORT }],
      environment: { PORT: String(CONTAINER_PORT), ...props.environment },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app', logGroup }),
      readonlyRootFilesystem: true,
      // SIGTERM to SIGKILL: room for the server's drain (see TASK_DRAIN).
      stopTimeout: TASK_DRAIN.stopTimeout,
      // `node` in the official Node.js image (the Dockerfile's USER): never root, even if the image changes.
      user: '1000',
      // A hard limit per container, so one container cannot take the whole task's memory.
      memoryLimitMiB: props.memoryLimitMiB ?? FARGATE_TASK_SIZE.memoryMiB,
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition,
      // No desiredCount: auto scaling owns the count (autoScale); a fixed value here would reset a
      // scaled-out fleet to it on every deployment. ECS starts at 1, the scalable target's minimum lifts it.
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { rollback: true },
      minHealthyPercent: 100,
    });
  }

  /**
   * Target tracking on both signals: requests per task (the ALB's count for `targetGroup`) and CPU.
   * Either policy scales out; scale-in happens only when both allow it, slowly (scaleInCooldown),
   * and each removed task drains first (TASK_DRAIN).
   */
  autoScale(targetGroup: elbv2.ApplicationTargetGroup, options: FargateScalingOptions): ecs.ScalableTaskCount {
    const scaling = this.service.autoScaleTaskCount({ minCapacity: options.minTasks, maxCapacity: options.maxTasks });
    const cooldowns = { scaleInCooldown: options.scaleInCooldown, scaleOutCooldown: options.scaleOutCooldown };
    scaling.scaleOnRequestCount('Requests', { requestsPerTarget: options.requestsPerTask, targetGroup, ...cooldowns });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: options.cpuTargetPercent, ...cooldowns });
    return scaling;
  }
}
