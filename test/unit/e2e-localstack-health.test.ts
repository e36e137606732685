import { CAPABILITIES } from '../../e2e/capabilities';
import {
  describeLocalStack,
  localStackCapabilities,
  ONE_COPY_REASON,
  parseLocalStackStatus,
  probeLocalStack,
} from '../../e2e/targets/localstack-health';
import { TargetError } from '../../e2e/targets/target';

/** `GET /_localstack/health` of a free-tier LocalStack 2026.03 (trimmed: the real list is longer). */
const FREE_TIER_HEALTH = {
  services: {
    cloudformation: 'running',
    dynamodb: 'running',
    dynamodbstreams: 'available',
    ec2: 'available',
    iam: 'available',
    lambda: 'available',
    logs: 'available',
    s3: 'running',
    ssm: 'available',
    sts: 'available',
  },
  edition: 'community',
  version: '2026.3.0',
};
/** `GET /_localstack/info` of the same instance. */
const INFO = { version: '2026.3.0', edition: 'pro', is_license_activated: true, session_id: 'x', uptime: 12 };
/** A paid tier: RDS, ElastiCache, ELBv2 and ECS are served too. */
const PAID_TIER_HEALTH = {
  ...FREE_TIER_HEALTH,
  services: { ...FREE_TIER_HEALTH.services, rds: 'available', elasticache: 'available', elbv2: 'available', ecs: 'available' },
};

describe('parseLocalStackStatus', () => {
  it('takes services from health and version, edition and license from info', () => {
    // Act
    const status = parseLocalStackStatus(FREE_TIER_HEALTH, INFO);

    // Assess
    expect(status).toEqual({ version: '2026.3.0', edition: 'pro', licenseActivated: true, services: FREE_TIER_HEALTH.services });
  });

  it('falls back on the health endpoint when info did not answer', () => {
    expect(parseLocalStackStatus(FREE_TIER_HEALTH)).toMatchObject({ version: '2026.3.0', edition: 'community', licenseActivated: undefined });
  });

  it.each([[{ status: 'ok' }], [[]], ['<html>']])('rejects %j, which is not LocalStack health JSON', (health) => {
    expect(() => parseLocalStackStatus(health)).toThrow(
      new TargetError('GET /_localstack/health did not answer LocalStack health JSON (no "services" object): is this endpoint LocalStack?'),
    );
  });
});

describe('localStackCapabilities', () => {
  it('offers the global table on the free tier, and says why everything else is skipped', () => {
    // Act
    const report = localStackCapabilities(parseLocalStackStatus(FREE_TIER_HEALTH, INFO));

    // Assess
    expect(report['global-table']).toEqual({ available: true });
    expect(report['multi-region-replication']).toEqual({ available: false, reason: ONE_COPY_REASON });
    expect(report.database).toEqual({
      available: false,
      reason: 'not deployed by profile=localstack: needs rds (paid tiers; here rds: not offered)',
    });
    expect(report.fargate).toEqual({
      available: false,
      reason: 'not deployed by profile=localstack: needs ecs, elbv2 (paid tiers; here ecs: not offered, elbv2: not offered)',
    });
    expect(CAPABILITIES.filter((c) => report[c].available)).toEqual(['global-table']);
  });

  it('keeps to the profile on a paid tier: RDS being there does not make the database deployed', () => {
    const report = localStackCapabilities(parseLocalStackStatus(PAID_TIER_HEALTH, INFO));
    expect(report.database).toEqual({
      available: false,
      reason: 'not deployed by profile=localstack: needs rds (paid tiers; here rds: available)',
    });
    expect(CAPABILITIES.filter((c) => report[c].available)).toEqual(['global-table']);
  });

  it('skips the global table when Lambda is disabled or missing', () => {
    // Prepare
    const health = { ...FREE_TIER_HEALTH, services: { ...FREE_TIER_HEALTH.services, lambda: 'disabled', dynamodb: 'error' } };

    // Act
    const report = localStackCapabilities(parseLocalStackStatus(health, INFO));

    // Assess
    expect(report['global-table']).toEqual({
      available: false,
      reason: 'LocalStack 2026.3.0 (pro) does not serve dynamodb: error, lambda: disabled',
    });
    expect(report['multi-region-replication']).toEqual({
      available: false,
      reason: 'LocalStack 2026.3.0 (pro) does not serve dynamodb: error',
    });
  });

  it('describes the emulator in one line', () => {
    expect(describeLocalStack(parseLocalStackStatus(FREE_TIER_HEALTH, INFO), 'http://localhost:4566')).toBe(
      'LocalStack 2026.3.0 (pro, license active) at http://localhost:4566: dynamodb: running, ecs: not offered, ' +
        'elasticache: not offered, elbv2: not offered, lambda: available, rds: not offered',
    );
  });
});

describe('probeLocalStack', () => {
  it('asks the health and info endpoints of the given endpoint', async () => {
    // Prepare
    const asked: string[] = [];
    const get = async (url: string) => {
      asked.push(url);
      return url.endsWith('/health') ? FREE_TIER_HEALTH : INFO;
    };

    // Act
    const status = await probeLocalStack('http://localstack:4566/', 3000, get);

    // Assess
    expect(asked).toEqual(['http://localstack:4566/_localstack/health', 'http://localstack:4566/_localstack/info']);
    expect(status.edition).toBe('pro');
  });

  it.each([
    ['refused', Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'ECONNREFUSED'],
    ['silent', Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }), 'no answer within 3000 ms'],
  ])('fails with one clear line when the endpoint does not answer (%s)', async (_case, failure, cause) => {
    const get = async () => {
      throw failure;
    };
    await expect(probeLocalStack('http://localhost:4566', 3000, get)).rejects.toThrow(
      new TargetError(
        `LocalStack is not reachable at http://localhost:4566 (GET /_localstack/health: ${cause}): ` +
          'start it (LOCALSTACK_AUTH_TOKEN=<token> localstack start) or set LOCALSTACK_ENDPOINT',
      ),
    );
  });
});
