/**
 * The reverse proxy's sticky-session toggle (`sticky=off|lb|app`): what each mode puts on the Fargate
 * target group, and why no Lambda target group ever gets stickiness.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PatternIngress } from '../../lib/compute/reverse-proxy-ingress';
import { synthPatterns } from '../support/synth-patterns';

const FARGATE_TG = { TargetType: 'ip', Port: 8080 };

function stickinessAttributes(attributes: Array<{ Key: string; Value: string }> | undefined): Record<string, string> {
  return Object.fromEntries((attributes ?? []).filter((a) => a.Key.startsWith('stickiness')).map((a) => [a.Key, a.Value]));
}

function fargateTargetGroupAttributes(overrides: Record<string, string>): Record<string, string> {
  const template = synthPatterns(overrides).template('stateless');
  const groups = template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup', { Properties: FARGATE_TG });
  const [group] = Object.values(groups) as Array<{ Properties: { TargetGroupAttributes?: Array<{ Key: string; Value: string }> } }>;
  return stickinessAttributes(group.Properties.TargetGroupAttributes);
}

describe('reverse proxy: the sticky-session toggle', () => {
  it('has no stickiness by default', () => {
    expect(fargateTargetGroupAttributes({})).toEqual({ 'stickiness.enabled': 'false' });
  });

  it('uses a load-balancer cookie with sticky=lb', () => {
    expect(fargateTargetGroupAttributes({ sticky: 'lb', stickyDurationSeconds: '120' })).toEqual({
      'stickiness.enabled': 'true',
      'stickiness.type': 'lb_cookie',
      'stickiness.lb_cookie.duration_seconds': '120',
    });
  });

  it('follows the application cookie with sticky=app, and tells the container its name', () => {
    // Prepare
    const synthesized = synthPatterns({ sticky: 'app', stickyCookieName: 'SESSION' });
    const stateless = synthesized.template('stateless');

    // Assess
    const groups = Object.values(stateless.findResources('AWS::ElasticLoadBalancingV2::TargetGroup', { Properties: FARGATE_TG })) as Array<{
      Properties: { TargetGroupAttributes: Array<{ Key: string; Value: string }> };
    }>;
    expect(stickinessAttributes(groups[0].Properties.TargetGroupAttributes)).toEqual({
      'stickiness.enabled': 'true',
      'stickiness.type': 'app_cookie',
      'stickiness.app_cookie.cookie_name': 'SESSION',
      'stickiness.app_cookie.duration_seconds': '3600',
    });
    stateless.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'STICKY_APP_COOKIE_NAME', Value: 'SESSION' }]) })],
    });
  });

  it('never puts stickiness on a Lambda target group, even with sticky=lb', () => {
    const stateless = synthPatterns({ sticky: 'lb' }).template('stateless');
    const lambdaGroups = Object.values(stateless.findResources('AWS::ElasticLoadBalancingV2::TargetGroup', { Properties: { TargetType: 'lambda' } })) as Array<{
      Properties: { TargetGroupAttributes?: Array<{ Key: string; Value: string }> };
    }>;
    expect(lambdaGroups.length).toBeGreaterThan(0);
    for (const group of lambdaGroups) expect(stickinessAttributes(group.Properties.TargetGroupAttributes)).toEqual({});
  });

  it('refuses stickiness on a Lambda route at synth time with a clear message', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const ingress = new PatternIngress(stack, 'Ingress', { vpc });
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>({})') });

    // Act
    const act = () =>
      ingress.addLambdaRoute('Session', {
        function: fn,
        pathPatterns: ['/lambda/session'],
        priority: 10,
        stickiness: { mode: 'lb', duration: Duration.hours(1) },
      });

    // Assess
    expect(act).toThrow(
      "[Test/Ingress] Route 'Session' (/lambda/session) asks for load-balancer-cookie stickiness, but ALB stickiness does not apply to Lambda targets: each request may reach any execution environment. Remove stickiness from this route, or route it to the Fargate tier.",
    );
  });
});
