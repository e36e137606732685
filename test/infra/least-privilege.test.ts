import { VPC_NETWORK_INTERFACE_ACTIONS } from '../../lib/function/pattern-function';
import { synthPatterns } from '../support/synth-patterns';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}
interface PolicyResource {
  readonly Properties: { readonly PolicyDocument: { readonly Statement: Statement[] }; readonly Roles?: unknown[] };
}

describe('least privilege of the execution roles', () => {
  const synthesized = synthPatterns();
  const stacks = [synthesized.template('network'), synthesized.template('data'), synthesized.template('stateless')];

  it('attaches no AWS managed policy that grants logs on * (AWSLambdaVPCAccessExecutionRole) to any role', () => {
    // Prepare
    const roles = stacks.flatMap((template) => Object.values(template.findResources('AWS::IAM::Role')));

    // Act
    const managed = JSON.stringify(roles.map((role) => (role as { Properties: { ManagedPolicyArns?: unknown } }).Properties.ManagedPolicyArns ?? []));

    // Assess
    expect(roles.length).toBeGreaterThan(0);
    expect(managed).not.toContain('AWSLambdaVPCAccessExecutionRole');
  });

  it('grants the VPC functions only the network-interface actions on *, and no log action on *', () => {
    // Prepare
    const policies = stacks.flatMap((template) => Object.values(template.findResources('AWS::IAM::Policy')) as PolicyResource[]);
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const actionsOnEverything = (list: readonly Statement[]) => list.filter((statement) => statement.Resource === '*').flatMap((statement) => [statement.Action].flat());

    // Act
    const onEverything = actionsOnEverything(statements);
    const networkInterfaceGrants = policies.filter((policy) =>
      VPC_NETWORK_INTERFACE_ACTIONS.every((action) => actionsOnEverything(policy.Properties.PolicyDocument.Statement).includes(action)),
    );

    // Assess: the 6 pattern functions and the migration function (the failover function is not in the VPC)
    expect(onEverything.filter((action) => action.startsWith('logs:'))).toEqual([]);
    expect(networkInterfaceGrants.length).toBe(synthesized.stacks.stateless.lambdaTier.patterns.length + 1);
    expect(new Set(onEverything.filter((action) => action.startsWith('ec2:') && action !== 'ec2:DescribeSecurityGroups'))).toEqual(new Set(VPC_NETWORK_INTERFACE_ACTIONS));
  });
});
