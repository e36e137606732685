import { Names, Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** Longest name ELB accepts for a target group. */
const TARGET_GROUP_NAME_MAX = 32;

/**
 * A deterministic target-group name for `scope`: unique per construct path, at most 32 characters
 * of letters, digits and hyphens. Lambda target groups get one so that the invoke permission can name
 * the group's ARN before the group exists (see ScopedLambdaTarget).
 */
export function lambdaTargetGroupName(scope: Construct): string {
  return Names.uniqueResourceName(scope, { maxLength: TARGET_GROUP_NAME_MAX, separator: '-' }).replace(/^-+|-+$/g, '');
}

/**
 * Registers a Lambda function in an ALB target group, with an invoke permission that only that
 * target group may use (`SourceArn`). `elbv2-targets.LambdaTarget` grants the
 * `elasticloadbalancing.amazonaws.com` principal with no source, so any target group of any account
 * could invoke the function. The permission cannot `Ref` the group: ELB checks the permission when
 * the group registers the function, so the group must be created after it. Instead the group has a
 * fixed name and the permission names `targetgroup/<name>/*` (Lambda matches `SourceArn` with
 * ArnLike; the suffix is the ID ELB appends).
 */
export class ScopedLambdaTarget implements elbv2.IApplicationLoadBalancerTarget {
  constructor(
    private readonly fn: lambda.IFunction,
    private readonly targetGroupName: string,
  ) {}

  attachToApplicationTargetGroup(targetGroup: elbv2.IApplicationTargetGroup): elbv2.LoadBalancerTargetProps {
    const permissionId = `InvokeFrom${Names.nodeUniqueId(targetGroup.node)}`;
    this.fn.addPermission(permissionId, {
      principal: new iam.ServicePrincipal('elasticloadbalancing.amazonaws.com'),
      sourceArn: ScopedLambdaTarget.sourceArnPattern(targetGroup, this.targetGroupName),
    });
    // Created after the permission, or ELB refuses to register the function.
    const permission = this.fn.permissionsNode.tryFindChild(permissionId);
    if (permission !== undefined) targetGroup.node.addDependency(permission);
    return { targetType: elbv2.TargetType.LAMBDA, targetJson: { id: this.fn.functionArn } };
  }

  /** The SourceArn pattern the permission carries, for tests and acknowledgements. */
  static sourceArnPattern(scope: Construct, targetGroupName: string): string {
    return Stack.of(scope).formatArn({ service: 'elasticloadbalancing', resource: 'targetgroup', resourceName: `${targetGroupName}/*` });
  }
}
