import { CONTEXT_DEFAULTS, parseAppConfig } from '../../lib/config/app-config';
import { instanceVcpus } from '../../lib/config/connection-budget';
import { COST_TOGGLES, type CostEstimate, estimateCost, KEYS_WITHOUT_IDLE_COST, MissingPriceError, PROXY_MINIMUM_VCPUS, proxyBilledVcpus, toggleDeltas } from '../../lib/config/cost-model';
import { DB_INSTANCE_HOURLY, PRICE_TABLE, PRICES } from '../../lib/config/price-table';

/** Context as `-c key=value` gives it: strings on top of the defaults. */
const estimate = (context: Record<string, string> = {}): CostEstimate => estimateCost(parseAppConfig((key) => context[key]).config);
const HOURS = PRICE_TABLE.hoursPerMonth;

/** The line whose resource starts with `prefix` (names are the table's contract with its readers). */
function lineOf(result: CostEstimate, prefix: string) {
  const found = result.lines.find((l) => l.resource.startsWith(prefix));
  if (found === undefined) throw new Error(`no line ${prefix}`);
  return found;
}

function difference(context: Record<string, string>): number {
  return estimate(context).monthly - estimate().monthly;
}

describe('estimateCost', () => {
  it('prices the default at idle, line by line', () => {
    // Act
    const result = estimate();

    // Assess
    expect(result.monthly).toBeCloseTo(176.07, 2);
    expect(result.daily).toBeCloseTo((result.monthly * 24) / HOURS, 6);
    expect(lineOf(result, 'NAT gateway').monthly).toBeCloseTo(32.85, 2);
    expect(lineOf(result, 'Public IPv4').quantity).toBe(1);
    expect(lineOf(result, 'RDS db.t4g.micro (primary').quantity).toBe(3);
    expect(lineOf(result, 'RDS gp3 storage').quantity).toBe(60);
    expect(lineOf(result, 'ElastiCache valkey cache.t4g.micro').quantity).toBe(2);
    expect(lineOf(result, 'CloudWatch dashboards')).toMatchObject({ quantity: 6, free: 3, monthly: 9 });
    expect(lineOf(result, 'CloudWatch alarms')).toMatchObject({ quantity: 17, free: 10 });
  });

  it('adds a standby billed like an instance, with its own storage, for dbReplication=sync', () => {
    // Act
    const sync = estimate({ dbReplication: 'sync' });

    // Assess
    expect(lineOf(sync, 'RDS db.t4g.micro Multi-AZ standby').quantity).toBe(1);
    expect(lineOf(sync, 'RDS gp3 storage').quantity).toBe(80);
    expect(difference({ dbReplication: 'sync' })).toBeCloseTo(DB_INSTANCE_HOURLY['t4g.micro'].usd * HOURS + 20 * PRICES.rdsGp3GbMonth.usd, 6);
  });

  it('keeps only the primary, and drops the replicas\' alarms, with readReplicas=0', () => {
    // Act
    const none = estimate({ readReplicas: '0' });

    // Assess
    expect(lineOf(none, 'RDS db.t4g.micro (primary').quantity).toBe(1);
    expect(lineOf(none, 'RDS gp3 storage').quantity).toBe(20);
    expect(none.inventory.alarmMetrics).toBe(13);
    // 13 alarm metrics, 10 of them free: 4 fewer billed than the default's 17.
    expect(difference({ readReplicas: '0' })).toBeCloseTo(-2 * (11.68 + 20 * 0.115) - 0.4, 6);
  });

  it('bills a second NAT gateway and its public IPv4 address with natGateways=2', () => {
    expect(estimate({ natGateways: '2' }).inventory).toMatchObject({ natGateways: 2, publicIpv4Addresses: 2 });
    expect(difference({ natGateways: '2' })).toBeCloseTo((0.045 + 0.005) * HOURS, 6);
  });

  it('bills every interface endpoint once per AZ with interfaceEndpoints=true', () => {
    // Act
    const endpoints = lineOf(estimate({ interfaceEndpoints: 'true' }), 'Interface endpoints');

    // Assess: 4 services x 2 AZs x $0.01 an hour.
    expect(endpoints.quantity).toBe(8);
    expect(endpoints.monthly).toBeCloseTo(8 * 0.01 * HOURS, 6);
  });

  it('bills the internet-facing ALB\'s address in each AZ with edge=none, and no distribution', () => {
    // Act
    const none = estimate({ edge: 'none' });

    // Assess
    expect(none.inventory).toMatchObject({ publicIpv4Addresses: 3, distributions: 0, dashboards: 6 });
    expect(difference({ edge: 'none' })).toBeCloseTo(2 * 0.005 * HOURS, 6);
    // Without the WAF as well, the edge dashboard goes too (the 6th of 6, 3 of them free).
    expect(estimate({ edge: 'none', waf: 'false' }).inventory.dashboards).toBe(5);
    expect(difference({ edge: 'none', waf: 'false' })).toBeCloseTo(2 * 0.005 * HOURS - 5 - 3 - 3, 6);
  });

  it('drops the proxy and its alarm with dbProxy=false', () => {
    // Act
    const direct = estimate({ dbProxy: 'false' });

    // Assess
    expect(lineOf(direct, 'RDS Proxy').monthly).toBe(0);
    expect(direct.inventory.alarmMetrics).toBe(16);
    expect(difference({ dbProxy: 'false' })).toBeCloseTo(-2 * 0.015 * HOURS - 0.1, 6);
  });

  it('bills the proxy at least 2 vCPUs, however small the class, and the vCPUs of a larger one', () => {
    expect(proxyBilledVcpus(1)).toBe(PROXY_MINIMUM_VCPUS);
    expect(proxyBilledVcpus(2)).toBe(2);
    expect(proxyBilledVcpus(0)).toBe(0);
    // A micro has 2 vCPUs, as many as the minimum; an xlarge of the same family bills 4.
    expect(instanceVcpus('t4g.micro')).toBe(2);
    expect(instanceVcpus('m6g.xlarge')).toBe(4);
    expect(lineOf(estimate({ dbInstanceClass: 't4g.small' }), 'RDS Proxy').quantity).toBe(2);
  });

  it('bills tasks up to fargateMaxTasks only while they run: the idle bill stays, the ceiling moves', () => {
    // Act
    const ten = estimate({ fargateMaxTasks: '10' });
    const task = (0.25 * 0.03238 + 0.5 * 0.00356) * HOURS;

    // Assess
    expect(ten.monthly).toBeCloseTo(estimate().monthly, 6);
    expect(ten.monthlyAtMaxTasks - ten.monthly).toBeCloseTo(8 * task, 6);
    expect(difference({ fargateMinTasks: '1' })).toBeCloseTo(-task, 6);
  });

  it('names an instance class and a node type missing from the price table, with the table to extend', () => {
    // Act
    const act = () => estimate({ dbInstanceClass: 'r6g.large', cacheNodeType: 'cache.r6g.large' });

    // Assess
    expect(act).toThrow(MissingPriceError);
    expect(act).toThrow(
      [
        'No price for this configuration (2 problems):',
        '  - dbInstanceClass: got "r6g.large"; allowed: a class priced in lib/config/price-table.ts (DB_INSTANCE_HOURLY: t4g.micro, t4g.small, t4g.medium, t4g.large, t3.micro, t3.small, t3.medium, m6g.large); add its us-east-1 on-demand price there',
        '  - cacheNodeType: got "cache.r6g.large"; allowed: a valkey node type priced in lib/config/price-table.ts (CACHE_NODE_HOURLY.valkey: cache.t4g.micro, cache.t4g.small, cache.t4g.medium, cache.m7g.large, cache.r7g.large); add its us-east-1 on-demand price there',
      ].join('\n'),
    );
  });
});

describe('toggleDeltas', () => {
  it('reports each toggle\'s monthly total and its difference from the given configuration', () => {
    // Act
    const [sync, none] = toggleDeltas(() => undefined, [{ overrides: { dbReplication: 'sync' } }, { overrides: { edge: 'none', waf: 'false' } }]);

    // Assess
    expect(sync.label).toBe('dbReplication=sync');
    expect(sync.delta).toBeCloseTo(11.68 + 2.3, 2);
    expect(none.label).toBe('edge=none waf=false');
    expect(none.delta).toBeCloseTo(-3.7, 2);
  });
});

describe('COST_TOGGLES and KEYS_WITHOUT_IDLE_COST', () => {
  it('account for every context key, so that a new key cannot be left out of the README\'s cost section', () => {
    // Prepare: account and profile choose where and what to deploy, not what it costs.
    const keys = Object.keys(CONTEXT_DEFAULTS).filter((key) => key !== 'account' && key !== 'profile');

    // Act
    const toggled = COST_TOGGLES.flatMap((toggle) => Object.keys(toggle.overrides));
    const listed = KEYS_WITHOUT_IDLE_COST.map((entry) => entry.split(' ')[0]);

    // Assess
    expect(keys.filter((key) => !toggled.includes(key) && !listed.includes(key))).toEqual([]);
  });

  it('name only toggles that change the idle bill', () => {
    expect(toggleDeltas(() => undefined).filter((d) => Math.abs(d.delta) < 0.005)).toEqual([]);
  });
});
