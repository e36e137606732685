import * as path from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CONTAINER_PORT } from './pattern-ingress';
import { REPO_ROOT } from './pattern-function';

export interface FargateTierProps {
  readonly vpc: ec2.IVpc;
  /** Running tasks (copies of the container server). */
  readonly desiredCount: number;
  /** Plain environment of the container (endpoints, modes, secret ARNs; never secret values). */
  readonly environment: Record<string, string>;
  /** @default 256 (0.25 vCPU) */
  readonly cpu?: number;
  /** @default 512 */
  readonly memoryLimitMiB?: number;
}

/**
 * The container tier: the same routes as the Lambda tier, served by `lambdas/server/container-server.ts`
 * in an ECS Fargate service (arm64). The image is built from the repository's `Dockerfile` at deploy
 * time. Tasks run in private subnets and are reachable only through the load balancer.
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
      cpu: props.cpu ?? 256,
      memoryLimitMiB: props.memoryLimitMiB ?? 512,
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
      image: ecs.ContainerImage.fromAsset(REPO_ROOT, {
        file: 'Dockerfile',
        platform: Platform.LINUX_ARM64,
        exclude: ['cdk.out', 'node_modules', '.git', 'lab-report', 'bench/out', 'coverage', path.join('test', '**')],
      }),
      portMappings: [{ containerPort: CONTAINER_PORT }],
      environment: { PORT: String(CONTAINER_PORT), ...props.environment },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app', logGroup }),
      readonlyRootFilesystem: true,
      // `node` in the official Node.js image (the Dockerfile's USER): never root, even if the image changes.
      user: '1000',
      // A hard limit per container, so one container cannot take the whole task's memory.
      memoryLimitMiB: props.memoryLimitMiB ?? 512,
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition,
      desiredCount: props.desiredCount,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { rollback: true },
      minHealthyPercent: 100,
    });
  }
}
