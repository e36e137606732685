import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PatternConstructError } from '../construct-error';
import { TASK_DRAIN } from './task-drain';
import { lambdaTargetGroupName, ScopedLambdaTarget } from './scoped-lambda-target';
import type { StickinessKind } from '../../lambdas/config/vocabulary';

/** Load-balancer stickiness of a target group. */
export interface StickinessOptions {
  /** `lb`: a cookie the ALB generates (AWSALB); `app`: the ALB follows the application's own cookie. */
  readonly mode: StickinessKind;
  readonly duration: Duration;
  /** Name of the application cookie; required for `app`. */
  readonly cookieName?: string;
}

export interface PatternIngressProps {
  readonly vpc: ec2.IVpc;
  /**
   * Certificate for an HTTPS listener on 443 (HTTP on 80 then redirects to it).
   * @default - HTTP only on port 80: browsers will not keep `Secure` cookies, API clients will
   */
  readonly certificate?: acm.ICertificate;
  /**
   * Whether the load balancer is reachable from the internet (public subnets, listener open to
   * 0.0.0.0/0). `false`: private subnets and a listener open to no one; the edge in front
   * (`PatternEdge`, a CloudFront VPC origin) adds the one ingress rule, from the origin's security group.
   * @default true
   */
  readonly internetFacing?: boolean;
}

export interface LambdaRouteOptions {
  readonly function: lambda.IFunction;
  /** ALB path patterns (at most 5), e.g. `['/lambda/session', '/lambda/session/*']`. */
  readonly pathPatterns: readonly string[];
  /** Rule priority, unique per listener. */
  readonly priority: number;
  /** Not supported for Lambda targets: giving it is a synth-time error. */
  readonly stickiness?: StickinessOptions;
}

/** Container port of the Fargate tier's HTTP server. */
export const CONTAINER_PORT = 8080;
export const HEALTH_CHECK_PATH = '/healthz';

/**
 * The load balancer: an Application Load Balancer (internet-facing, or internal behind an edge) that routes `/lambda/*`
 * paths to the Lambda tier and everything else to the Fargate tier. Stickiness is a property of the
 * Fargate target group only: ALB stickiness does not apply to Lambda targets, so asking for it on a
 * Lambda route fails at synth time instead of being silently ignored.
 */
export class PatternIngress extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly accessLogs: s3.Bucket;
  /** True when the listener serves HTTPS (a certificate was given). */
  readonly secure: boolean;
  /** Lambda-route target groups by route id. */
  readonly lambdaTargetGroups = new Map<string, elbv2.ApplicationTargetGroup>();

  constructor(scope: Construct, id: string, props: PatternIngressProps) {
    super(scope, id);
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const internetFacing = props.internetFacing ?? true;
    this.secure = props.certificate !== undefined;
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Resource', {
      vpc: props.vpc,
      internetFacing,
      vpcSubnets: { subnetType: internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS },
      dropInvalidHeaderFields: true,
    });
    this.loadBalancer.logAccessLogs(this.accessLogs, 'alb');

    if (props.certificate !== undefined) {
      this.listener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [props.certificate],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        open: internetFacing,
      });
      this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443, open: internetFacing });
    } else {
      this.listener = this.loadBalancer.addListener('Http', { port: 80, open: internetFacing });
    }
  }

  /** Makes the Fargate service the default route, with stickiness when given. */
  routeDefaultToService(service: ecs.FargateService, stickiness?: StickinessOptions): elbv2.ApplicationTargetGroup {
    const targetGroup = new elbv2.ApplicationTargetGroup(this, 'FargateTargets', {
      vpc: this.loadBalancer.vpc,
      port: CONTAINER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [service],
      healthCheck: { path: HEALTH_CHECK_PATH, interval: Duration.seconds(10), healthyThresholdCount: 2 },
      // Longer than any request, so that scale-in never cuts one (see TASK_DRAIN).
      deregistrationDelay: TASK_DRAIN.deregistrationDelay,
    });
    if (stickiness !== undefined) {
      if (stickiness.mode === 'app' && stickiness.cookieName === undefined) {
        throw new PatternConstructError(this, 'Application-cookie stickiness needs a cookieName');
      }
      targetGroup.enableCookieStickiness(stickiness.duration, stickiness.mode === 'app' ? stickiness.cookieName : undefined);
    }
    this.listener.addTargetGroups('Default', { targetGroups: [targetGroup] });
    return targetGroup;
  }

  /** Routes `pathPatterns` to a Lambda function. */
  addLambdaRoute(id: string, options: LambdaRouteOptions): elbv2.ApplicationTargetGroup {
    if (options.stickiness !== undefined) {
      throw new PatternConstructError(
        this,
        `Route '${id}' (${options.pathPatterns.join(', ')}) asks for ${options.stickiness.mode === 'app' ? 'application' : 'load-balancer'}-cookie stickiness, ` +
          'but ALB stickiness does not apply to Lambda targets: each request may reach any execution environment. ' +
          'Remove stickiness from this route, or route it to the Fargate tier.',
      );
    }
    const targetGroup = new elbv2.ApplicationTargetGroup(this, `${id}Targets`, { targetType: elbv2.TargetType.LAMBDA });
    // A fixed name lets the invoke permission name this group alone (see ScopedLambdaTarget).
    const name = lambdaTargetGroupName(targetGroup);
    (targetGroup.node.defaultChild as elbv2.CfnTargetGroup).name = name;
    targetGroup.addTarget(new ScopedLambdaTarget(options.function, name));
    this.listener.addTargetGroups(id, {
      targetGroups: [targetGroup],
      priority: options.priority,
      conditions: [elbv2.ListenerCondition.pathPatterns([...options.pathPatterns])],
    });
    this.lambdaTargetGroups.set(id, targetGroup);
    return targetGroup;
  }
}
