import { AppConfigError, CONTEXT_DEFAULTS, parseAppConfig } from '../../lib/config/app-config';

/** Context as `-c key=value` gives it: strings on top of the defaults. */
function parse(context: Record<string, string> = {}) {
  return parseAppConfig((key) => context[key]);
}

function problemsOf(context: Record<string, string>): readonly string[] {
  try {
    parse(context);
  } catch (error) {
    if (error instanceof AppConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an AppConfigError');
}

describe('parseAppConfig', () => {
  it('applies the documented defaults when nothing is given', () => {
    // Act
    const { config, warnings } = parse();

    // Assess
    expect(config).toEqual({
      account: undefined,
      sticky: 'off',
      stickyDurationSeconds: 3600,
      stickyCookieName: undefined,
      sessionStore: 'redis',
      readReplicas: 2,
      dbReplication: 'async',
      primaryRegion: 'us-east-1',
      replicaRegions: ['us-east-2', 'us-west-2'],
      globalConsistency: 'eventual',
      witnessRegion: undefined,
      dbInstanceClass: 't4g.micro',
      cacheNodeType: 'cache.t4g.micro',
      cacheReplicas: 1,
      natGateways: 1,
      availabilityZones: { kind: 'ids', zoneIds: ['use1-az1', 'use1-az2'] },
      fargateMinTasks: 2,
      fargateMaxTasks: 6,
      targetRequestsPerTask: 6000,
      lambdaConcurrency: 10,
      dbProxy: true,
      alarmEmail: undefined,
      budgetMonthlyUsd: undefined,
      lambdaMemoryMb: 256,
      interfaceEndpoints: false,
      certificateArn: undefined,
      removalPolicy: 'snapshot',
      edge: 'cloudfront',
      waf: true,
      wafRateLimit: 10000,
      edgeLogRetentionDays: 14,
    });
    expect(warnings).toEqual([]);
  });

  it('keeps cdk.json defaults identical to the module defaults', () => {
    // Prepare
    const cdkJson = require('../../cdk.json') as { context: Record<string, unknown> };

    // Assess
    for (const [key, value] of Object.entries(CONTEXT_DEFAULTS)) {
      if (value !== undefined) expect([key, cdkJson.context[key]]).toEqual([key, value]);
    }
  });

  it('takes the Fargate scaling defaults from the one scaling policy the lab reads too', () => {
    // Prepare
    const { SCALING_POLICY } = require('../../lib/config/scaling-policy') as typeof import('../../lib/config/scaling-policy');

    // Act
    const { config } = parse();

    // Assess
    expect([config.fargateMinTasks, config.fargateMaxTasks, config.targetRequestsPerTask]).toEqual([
      SCALING_POLICY.fargateMinTasks,
      SCALING_POLICY.fargateMaxTasks,
      SCALING_POLICY.targetRequestsPerTask,
    ]);
  });

  it('accepts numbers and booleans as cdk.json gives them', () => {
    // Act
    const fromCdkJson: Record<string, unknown> = { readReplicas: 0, interfaceEndpoints: true };
    const { config } = parseAppConfig((key) => fromCdkJson[key]);

    // Assess
    expect(config.readReplicas).toBe(0);
    expect(config.interfaceEndpoints).toBe(true);
  });

  it.each([
    [{ sticky: 'yes' }, 'sticky: got "yes"; allowed: off, lb, app'],
    [{ stickyDurationSeconds: '0' }, 'stickyDurationSeconds: got "0"; allowed: an integer from 1 to 604800'],
    [{ stickyDurationSeconds: '604801' }, 'stickyDurationSeconds: got "604801"; allowed: an integer from 1 to 604800'],
    [{ sticky: 'app' }, 'stickyCookieName: got undefined; allowed: a cookie name (required when sticky=app), e.g. SESSION'],
    [{ sticky: 'app', stickyCookieName: 'AWSALBAPP-0' }, 'stickyCookieName: got "AWSALBAPP-0"; allowed: a name not starting with AWSALB (reserved by the load balancer)'],
    [{ sticky: 'app', stickyCookieName: 'my cookie' }, 'stickyCookieName: got "my cookie"; allowed: 1-64 cookie token characters (letters, digits, !#$%&\'*+-.^_`|~)'],
    [{ sessionStore: 'disk' }, 'sessionStore: got "disk"; allowed: redis, memory, cookie'],
    [{ readReplicas: '16' }, 'readReplicas: got "16"; allowed: an integer from 0 to 15'],
    [{ readReplicas: '-1' }, 'readReplicas: got "-1"; allowed: an integer from 0 to 15'],
    [{ readReplicas: '1.5' }, 'readReplicas: got "1.5"; allowed: an integer from 0 to 15'],
    [{ dbReplication: 'semi' }, 'dbReplication: got "semi"; allowed: async, sync'],
    [{ primaryRegion: 'virginia' }, 'primaryRegion: got "virginia"; allowed: an AWS Region code such as us-east-1'],
    [{ replicaRegions: 'us-east-1' }, 'replicaRegions: got "us-east-1"; allowed: Regions other than primaryRegion (us-east-1)'],
    [{ replicaRegions: '' }, 'replicaRegions: got ""; allowed: a comma-separated list of at least one AWS Region, distinct from primaryRegion'],
    [{ replicaRegions: 'us-east-2,mars-1' }, 'replicaRegions: got "us-east-2,mars-1"; allowed: AWS Region codes such as us-east-2 (not valid: mars-1)'],
    [{ replicaRegions: 'us-east-2,us-east-2' }, 'replicaRegions: got "us-east-2,us-east-2"; allowed: each Region once (repeated: us-east-2)'],
    [{ globalConsistency: 'linearizable' }, 'globalConsistency: got "linearizable"; allowed: eventual, strong'],
    [{ witnessRegion: 'us-east-2' }, 'witnessRegion: got "us-east-2"; allowed: unset unless globalConsistency=strong'],
    [{ dbInstanceClass: 'db.t4g.micro' }, 'dbInstanceClass: got "db.t4g.micro"; allowed: an RDS instance class without the db. prefix, e.g. t4g.micro'],
    [{ cacheNodeType: 't4g.micro' }, 'cacheNodeType: got "t4g.micro"; allowed: an ElastiCache node type, e.g. cache.t4g.micro'],
    [{ cacheReplicas: '6' }, 'cacheReplicas: got "6"; allowed: an integer from 0 to 5'],
    [{ natGateways: '0' }, 'natGateways: got "0"; allowed: an integer from 1 to 2'],
    [{ fargateTasks: '2' }, 'fargateTasks: got "2"; allowed: unset (removed: the Fargate tier auto-scales; use fargateMinTasks, fargateMaxTasks and targetRequestsPerTask)'],
    [{ fargateMinTasks: '4', fargateMaxTasks: '3' }, 'fargateMinTasks: got "4"; allowed: at most fargateMaxTasks (3)'],
    [{ fargateMinTasks: '0' }, 'fargateMinTasks: got "0"; allowed: an integer from 1 to 50'],
    [{ fargateMaxTasks: '51' }, 'fargateMaxTasks: got "51"; allowed: an integer from 1 to 50'],
    [{ targetRequestsPerTask: '0' }, 'targetRequestsPerTask: got "0"; allowed: an integer from 1 to 1000000'],
    [{ targetRequestsPerTask: '-5' }, 'targetRequestsPerTask: got "-5"; allowed: an integer from 1 to 1000000'],
    [{ lambdaConcurrency: '-1' }, 'lambdaConcurrency: got "-1"; allowed: an integer from 0 to 1000'],
    [{ dbProxy: 'yes' }, 'dbProxy: got "yes"; allowed: true, false'],
    [{ alarmEmail: 'ops' }, 'alarmEmail: got "ops"; allowed: an email address (or unset for alarms without notification)'],
    [{ budgetMonthlyUsd: '200' }, 'budgetMonthlyUsd: got "200"; allowed: unset unless alarmEmail is set (the budget emails its notifications to alarmEmail)'],
    [{ budgetMonthlyUsd: '0', alarmEmail: 'ops@example.com' }, 'budgetMonthlyUsd: got "0"; allowed: an integer from 1 to 1000000 (US dollars a month), or unset for no budget'],
    [{ budgetMonthlyUsd: '12.5', alarmEmail: 'ops@example.com' }, 'budgetMonthlyUsd: got "12.5"; allowed: an integer from 1 to 1000000 (US dollars a month), or unset for no budget'],
    [{ budgetMonthlyUsd: '1000001', alarmEmail: 'ops@example.com' }, 'budgetMonthlyUsd: got "1000001"; allowed: an integer from 1 to 1000000 (US dollars a month), or unset for no budget'],
    [{ lambdaMemoryMb: '64' }, 'lambdaMemoryMb: got "64"; allowed: an integer from 128 to 10240'],
    [{ interfaceEndpoints: 'yes' }, 'interfaceEndpoints: got "yes"; allowed: true, false'],
    [{ certificateArn: 'my-cert' }, 'certificateArn: got "my-cert"; allowed: an ACM certificate ARN in primaryRegion'],
    [
      { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123' },
      'certificateArn: got "arn:aws:acm:us-east-1:123456789012:certificate/abc-123"; allowed: unset with edge=cloudfront (the distribution serves HTTPS with its default certificate); use -c edge=none to put a certificate on the ALB',
    ],
    [{ edge: 'alb' }, 'edge: got "alb"; allowed: cloudfront, none'],
    [{ waf: 'on' }, 'waf: got "on"; allowed: true, false'],
    [{ wafRateLimit: '9' }, 'wafRateLimit: got "9"; allowed: an integer from 10 to 2000000000'],
    [{ wafRateLimit: '2000000001' }, 'wafRateLimit: got "2000000001"; allowed: an integer from 10 to 2000000000'],
    [{ wafRateLimit: 'lots' }, 'wafRateLimit: got "lots"; allowed: an integer from 10 to 2000000000'],
    [{ removalPolicy: 'retain' }, 'removalPolicy: got "retain"; allowed: snapshot, destroy'],
    [{ account: '12345' }, 'account: got "12345"; allowed: a 12-digit AWS account id (or unset)'],
    [{ profile: 'docker' }, 'profile: got "docker"; allowed: full, localstack'],
  ])('rejects %j with an exact message', (context, message) => {
    // Act
    const problems = problemsOf(context);

    // Assess
    expect(problems).toEqual([message]);
  });

  it.each([
    [
      { globalConsistency: 'strong', primaryRegion: 'sa-east-1', replicaRegions: 'us-east-1,us-east-2' },
      'primaryRegion: got "sa-east-1"; allowed: with globalConsistency=strong, a Region of one MRSC Region set (US: us-east-1 us-east-2 us-west-2; EU: eu-west-1 eu-west-2 eu-west-3 eu-central-1; AP: ap-northeast-1 ap-northeast-2 ap-northeast-3)',
    ],
    [
      { globalConsistency: 'strong', replicaRegions: 'us-east-2,eu-west-1' },
      'replicaRegions: got "us-east-2,eu-west-1"; allowed: with globalConsistency=strong, only Regions of the US set: us-east-1, us-east-2, us-west-2',
    ],
    [
      { globalConsistency: 'strong', replicaRegions: 'us-east-2' },
      'replicaRegions: got "us-east-2"; allowed: with globalConsistency=strong, exactly 2 Regions (3 replicas with the primary), or 1 Region plus witnessRegion',
    ],
    [
      { globalConsistency: 'strong', witnessRegion: 'us-east-2', replicaRegions: 'us-east-2' },
      'witnessRegion: got "us-east-2"; allowed: a Region that is neither primaryRegion nor in replicaRegions',
    ],
    [
      { globalConsistency: 'strong', replicaRegions: 'us-east-2', witnessRegion: 'eu-west-1' },
      'witnessRegion: got "eu-west-1"; allowed: with globalConsistency=strong, only Regions of the US set: us-east-1, us-east-2, us-west-2',
    ],
  ])('rejects the strong-consistency layout %j with an exact message', (context, message) => {
    expect(problemsOf(context)).toContain(message);
  });

  it('accepts the two strong-consistency layouts: three Regions, or two plus a witness', () => {
    expect(parse({ globalConsistency: 'strong' }).config.globalConsistency).toBe('strong');
    expect(parse({ globalConsistency: 'strong', replicaRegions: 'us-east-2', witnessRegion: 'us-west-2' }).config.witnessRegion).toBe('us-west-2');
  });

  it('reports every problem at once, in one error that names each key', () => {
    // Act
    const act = () => parse({ readReplicas: '16', sticky: 'yes', replicaRegions: 'us-east-1' });

    // Assess
    expect(act).toThrow(
      [
        'Invalid configuration (3 problems):',
        '  - sticky: got "yes"; allowed: off, lb, app',
        '  - readReplicas: got "16"; allowed: an integer from 0 to 15',
        '  - replicaRegions: got "us-east-1"; allowed: Regions other than primaryRegion (us-east-1)',
      ].join('\n'),
    );
  });

  it('warns, without failing, that in-memory sessions without stickiness are lost between instances', () => {
    // Act
    const { warnings } = parse({ sessionStore: 'memory' });

    // Assess
    expect(warnings).toEqual([
      'sessionStore=memory with sticky=off: each request may reach another instance, so sessions will be lost between instances. Use -c sticky=lb (or app), or sessionStore=redis/cookie.',
    ]);
    expect(parse({ sessionStore: 'memory', sticky: 'lb' }).warnings).toEqual([]);
  });

  it('selects the full profile by default and the localstack profile on request', () => {
    expect(parse().profile).toBe('full');
    expect(parse({ profile: 'localstack' }).profile).toBe('localstack');
  });

  it('reports a bad profile together with the other problems', () => {
    expect(problemsOf({ profile: 'LocalStack', readReplicas: '99' })).toEqual([
      'profile: got "LocalStack"; allowed: full, localstack',
      'readReplicas: got "99"; allowed: an integer from 0 to 15',
    ]);
  });

  it('accepts the edge and WAF keys at their bounds', () => {
    expect(parse({ edge: 'none', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123', waf: 'false' }).config).toMatchObject({ edge: 'none', waf: false });
    expect(parse({ wafRateLimit: '10' }).config.wafRateLimit).toBe(10);
    expect(parse({ wafRateLimit: '2000000000' }).config.wafRateLimit).toBe(2000000000);
  });

  it('warns that edge=none without a certificate sends sessions in clear text, and that waf=false leaves the entry unguarded', () => {
    expect(parse({ edge: 'none' }).warnings).toEqual([
      'edge=none without certificateArn: the ALB serves plain HTTP, so browsers drop Secure cookies and sessions travel in clear text. Use the default edge=cloudfront, or give -c certificateArn=... for HTTPS on the ALB.',
    ]);
    expect(parse({ edge: 'none', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123' }).warnings).toEqual([]);
    expect(parse({ waf: 'false' }).warnings).toEqual([
      'waf=false: no web ACL, so nothing rate-limits or filters requests before they reach the compute tiers.',
    ]);
  });

  it('accepts a budget at its bounds when alarmEmail receives its notifications', () => {
    expect(parse({ budgetMonthlyUsd: '1', alarmEmail: 'ops@example.com' }).config.budgetMonthlyUsd).toBe(1);
    expect(parse({ budgetMonthlyUsd: '1000000', alarmEmail: 'ops@example.com' }).config.budgetMonthlyUsd).toBe(1000000);
    const fromCdkJson: Record<string, unknown> = { budgetMonthlyUsd: 250, alarmEmail: 'ops@example.com' };
    expect(parseAppConfig((key) => fromCdkJson[key]).config.budgetMonthlyUsd).toBe(250);
  });

  it('warns that a cookie name without sticky=app is ignored', () => {
    expect(parse({ stickyCookieName: 'SESSION' }).warnings).toEqual([
      'stickyCookieName=SESSION is ignored because sticky=off (it applies only to sticky=app)',
    ]);
  });
});
