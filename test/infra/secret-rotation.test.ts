/**
 * Secret rotation as the templates declare it: a rotation the proxy survives (single-user, one
 * username per secret, the secret's host the instance, the proxy reached by its own setting), and
 * the deploy order (both rotation schedules after the migration trigger).
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { synthPatterns } from '../support/synth-patterns';

type Resource = { Properties: Record<string, any>; DependsOn?: string[] };

function resources(template: Template, type: string, props: Record<string, unknown> = {}): Array<[string, Resource]> {
  return Object.entries(template.findResources(type, props)) as Array<[string, Resource]>;
}

describe('secret rotation (defaults)', () => {
  const synthesized = synthPatterns();
  const data = synthesized.template('data');
  const stateless = synthesized.template('stateless');
  const [[triggerId]] = resources(data, 'Custom::Trigger');
  const schedules = resources(data, 'AWS::SecretsManager::RotationSchedule');
  const scheduleOf = (secretPrefix: string) => {
    const found = schedules.filter(([, s]) => JSON.stringify(s.Properties.SecretId).includes(secretPrefix));
    expect(found).toHaveLength(1);
    return found[0][1];
  };
  /** The rotation application behind a schedule (its SAR application id). */
  const applicationOf = (schedule: Resource): string => {
    const [appId] = schedule.Properties.RotationLambdaARN['Fn::GetAtt'] as [string, string];
    const [, app] = resources(data, 'AWS::Serverless::Application').find(([id]) => id === appId)!;
    const mapping = (app.Properties.Location.ApplicationId['Fn::FindInMap'] as [string])[0];
    return (data.toJSON().Mappings[mapping].aws as { applicationId: string }).applicationId;
  };

  describe('a rotation the proxy survives', () => {
    it('rotates the app secret with the single-user strategy: the username never changes', () => {
      expect(applicationOf(scheduleOf('AppRoleSecretAttachment'))).toMatch(/SecretsManagerRDSPostgreSQLRotationSingleUser$/);
      expect(JSON.stringify(data.toJSON())).not.toMatch(/RotationMultiUser/);
    });

    it('keeps one login in the app secret, with no master secret for its rotation to need', () => {
      const [[, secret]] = resources(data, 'AWS::SecretsManager::Secret', {
        Properties: { GenerateSecretString: Match.objectLike({ SecretStringTemplate: Match.stringLikeRegexp('patterns_app') }) },
      });
      expect(JSON.parse(secret.Properties.GenerateSecretString.SecretStringTemplate as string)).toEqual({ username: 'patterns_app', dbname: 'patterns' });
      const [[, rotation]] = resources(data, 'AWS::Serverless::Application', { Properties: { Parameters: Match.objectLike({ functionName: Match.stringLikeRegexp('AppRole') }) } });
      expect(rotation.Properties.Parameters.masterSecretArn).toBeUndefined();
    });

    it('gives the app secret the instance as its host (where a rotation can log in), never the proxy', () => {
      const [[, attachment]] = resources(data, 'AWS::SecretsManager::SecretTargetAttachment', {
        Properties: { SecretId: { Ref: Match.stringLikeRegexp('^AppRoleSecret') } },
      });
      expect(attachment.Properties.TargetType).toBe('AWS::RDS::DBInstance');
      expect(attachment.Properties.TargetId).toEqual({ Ref: expect.stringMatching(/^DatabasePrimary[0-9A-F]{8}$/) });
    });

    it('registers that one secret on the proxy, which the Lambda tier reaches by DB_PRIMARY_HOST, not by the secret', () => {
      const [[, proxy]] = resources(data, 'AWS::RDS::DBProxy');
      expect(proxy.Properties.Auth).toHaveLength(1);
      expect(JSON.stringify(proxy.Properties.Auth)).toMatch(/AppRoleSecretAttachment/);
      const lambdaHosts = resources(stateless, 'AWS::Lambda::Function', {
        Properties: { Environment: { Variables: Match.objectLike({ PATTERN_TIER: 'lambda', DB_PRIMARY_HOST: Match.anyValue() }) } },
      }).map(([, fn]) => JSON.stringify(fn.Properties.Environment.Variables.DB_PRIMARY_HOST));
      expect(lambdaHosts.length).toBeGreaterThan(0);
      for (const host of lambdaHosts) expect(host).toMatch(/PrimaryProxy/);
    });

    it('lets the rotation function reach the instance on the database port', () => {
      const ingress = resources(data, 'AWS::EC2::SecurityGroupIngress').filter(([, rule]) =>
        JSON.stringify(rule.Properties.SourceSecurityGroupId).includes('AppRoleSecretRotationSecurityGroup'),
      );
      expect(ingress).toHaveLength(1);
      expect(JSON.stringify(ingress[0][1].Properties.GroupId)).toMatch(/DatabaseSecurityGroup/);
    });
  });

  describe('deploy order', () => {
    it('starts the master secret rotation schedule only after the migration trigger (a new schedule rotates at once)', () => {
      expect(scheduleOf('DatabasePrimarySecretAttachment').DependsOn).toEqual(expect.arrayContaining([triggerId]));
    });

    it('starts the app secret rotation schedule only after the migration trigger (its role must exist)', () => {
      expect(scheduleOf('AppRoleSecretAttachment').DependsOn).toEqual(expect.arrayContaining([triggerId]));
    });

    it('runs the trigger after the primary and the app secret, so the chain is primary -> trigger -> schedules', () => {
      const [[, trigger]] = resources(data, 'Custom::Trigger');
      expect(trigger.DependsOn).toEqual(
        expect.arrayContaining([expect.stringMatching(/^DatabasePrimary[0-9A-F]{8}$/), expect.stringMatching(/^AppRoleSecretAttachment/)]),
      );
      expect(trigger.DependsOn!.some((id) => /RotationSchedule/.test(id))).toBe(false);
    });
  });
});
