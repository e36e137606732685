import { synthPatterns } from '../support/synth-patterns';

type Resources = Record<string, { Properties: Record<string, unknown>; DependsOn?: string[] }>;

describe('the deploy-time concurrency check', () => {
  it('runs before every reserving function is created, with the plan lambdaConcurrency gives', () => {
    // Prepare
    const template = synthPatterns().template('stateless');
    const functions = template.findResources('AWS::Lambda::Function') as Resources;

    // Act
    const [checkId] = Object.keys(template.findResources('Custom::Trigger'));
    const [preflightId, preflight] = Object.entries(functions).find(([, fn]) => JSON.stringify(fn.Properties.Environment ?? {}).includes('RESERVED_PER_FUNCTION'))!;
    const reserving = Object.values(functions).filter((fn) => fn.Properties.ReservedConcurrentExecutions !== undefined);

    // Assess
    expect(preflight.Properties.Environment).toEqual({ Variables: expect.objectContaining({ RESERVED_PER_FUNCTION: '10', RESERVED_FUNCTIONS: '6' }) });
    expect(JSON.stringify(template.findResources('Custom::Trigger'))).toContain(`"HandlerArn":{"Ref":"${preflightId.replace(/[0-9A-F]{8}$/, '')}CurrentVersion`);
    expect(reserving).toHaveLength(6);
    for (const fn of reserving) expect(fn.DependsOn).toContain(checkId);
  });

  it('is absent when nothing is reserved (lambdaConcurrency=0)', () => {
    const template = synthPatterns({ lambdaConcurrency: '0' }).template('stateless');
    expect(JSON.stringify(template.findResources('AWS::Lambda::Function'))).not.toContain('RESERVED_PER_FUNCTION');
  });
});
