/**
 * The cost model: a validated configuration to the monthly bill of its stacks at idle, line by line
 * (resource, quantity, unit price, monthly cost), from the prices of `price-table.ts` and the counts of
 * `billable-inventory.ts`. Traffic is priced apart, on a stated example. Pure: `npm run cost`, the
 * README test and the unit tests call it without CDK or network.
 *
 * A new billable resource is one more entry in `idleLines` (with its count in the inventory and its
 * price in the table).
 *
 * @example
 * const estimate = estimateCost(parseAppConfig(read).config);
 * console.log(estimate.monthly, estimate.lines.map((l) => l.resource));
 */
import { type AppConfig, type ContextReader, parseAppConfig } from './app-config';
import { billableInventory, type BillableInventory, IDLE_LOG_INGESTION_GB } from './billable-inventory';
import { configProblem } from '../../lambdas/config/vocabulary';
import { CACHE_NODE_HOURLY, CLOUDWATCH_FREE_TIER, DB_INSTANCE_HOURLY, type Price, PRICE_TABLE, PRICES } from './price-table';

/** RDS Proxy bills at least this many vCPUs, whatever the instance behind it. */
export const PROXY_MINIMUM_VCPUS = 2;

export interface CostLine {
  readonly resource: string;
  readonly quantity: number;
  /** What one unit of the quantity is, singular, e.g. `instance`, `vCPU`, `GB`. */
  readonly unit: string;
  /** Price of one unit for a month (hourly prices times the hours of a month). */
  readonly unitMonthly: number;
  /** Units an always-free allowance covers. @default 0 */
  readonly free?: number;
  readonly monthly: number;
  readonly price: Price;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly monthly: number;
  readonly daily: number;
  /** The Fargate tier at fargateMaxTasks: what the bill reaches while auto scaling runs every task. */
  readonly monthlyAtMaxTasks: number;
  readonly inventory: BillableInventory;
}

/** A class or node type the price table has no row for: named, with the table to extend. */
export class MissingPriceError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`No price for this configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'MissingPriceError';
  }
}

const round2 = (usd: number): number => Math.round(usd * 100) / 100;

function line(resource: string, quantity: number, unit: string, price: Price, perMonth: number, free = 0): CostLine {
  const unitMonthly = price.usd * perMonth;
  return { resource, quantity, unit, unitMonthly, free: free > 0 ? free : undefined, monthly: Math.max(0, quantity - free) * unitMonthly, price };
}

/** The prices this configuration needs from the per-class tables; every missing one named at once. */
function classPrices(inventory: BillableInventory): { db: Price; cache: Price } {
  const db = DB_INSTANCE_HOURLY[inventory.dbInstanceClass];
  const cache = CACHE_NODE_HOURLY[inventory.cacheEngine][inventory.cacheNodeType];
  const problems: string[] = [];
  if (db === undefined) {
    problems.push(
      configProblem('dbInstanceClass', inventory.dbInstanceClass, `a class priced in lib/config/price-table.ts (DB_INSTANCE_HOURLY: ${Object.keys(DB_INSTANCE_HOURLY).join(', ')}); add its ${PRICE_TABLE.region} on-demand price there`),
    );
  }
  if (cache === undefined) {
    problems.push(
      configProblem('cacheNodeType', inventory.cacheNodeType, `a ${inventory.cacheEngine} node type priced in lib/config/price-table.ts (CACHE_NODE_HOURLY.${inventory.cacheEngine}: ${Object.keys(CACHE_NODE_HOURLY[inventory.cacheEngine]).join(', ')}); add its ${PRICE_TABLE.region} on-demand price there`),
    );
  }
  if (inventory.proxyVcpus === undefined) {
    problems.push(configProblem('dbInstanceClass', inventory.dbInstanceClass, 'a class whose vCPUs lib/config/connection-budget.ts knows (RDS Proxy bills per vCPU)'));
  }
  if (db === undefined || cache === undefined || problems.length > 0) throw new MissingPriceError(problems);
  return { db, cache };
}

/** RDS Proxy's billed vCPUs: the instance's, at least PROXY_MINIMUM_VCPUS; none without a proxy. */
export function proxyBilledVcpus(instanceVcpus: number): number {
  return instanceVcpus === 0 ? 0 : Math.max(instanceVcpus, PROXY_MINIMUM_VCPUS);
}

function fargateTaskMonthly(inventory: BillableInventory, hours: number): number {
  return (inventory.fargateTaskVcpu * PRICES.fargateArmVcpuHour.usd + inventory.fargateTaskGb * PRICES.fargateArmGbHour.usd) * hours;
}

/** Every line billed at idle; zero-cost lines stay, so the table shows what was considered. */
function idleLines(inventory: BillableInventory): CostLine[] {
  const hours = PRICE_TABLE.hoursPerMonth;
  const { db, cache } = classPrices(inventory);
  const free = CLOUDWATCH_FREE_TIER;
  const fargateTask: Price = { ...PRICES.fargateArmVcpuHour, usd: fargateTaskMonthly(inventory, 1), per: 'task-hour' };
  // Billed per use only: listed with no monthly charge, so the table shows they were considered.
  const perUseOnly = (resource: string, count: number, unit: string, p: Price): CostLine =>
    line(resource, count, unit, { ...p, usd: 0, per: 'month', note: `no charge without use; ${p.note ?? p.per}` }, 1);
  return [
    line('NAT gateway', inventory.natGateways, 'gateway', PRICES.natGatewayHour, hours),
    line('Public IPv4 addresses (NAT; ALB with edge=none)', inventory.publicIpv4Addresses, 'address', PRICES.publicIpv4Hour, hours),
    line(`RDS db.${inventory.dbInstanceClass} (primary + replicas)`, inventory.dbInstances, 'instance', db, hours),
    line(`RDS db.${inventory.dbInstanceClass} Multi-AZ standby`, inventory.dbStandbys, 'standby', db, hours),
    line('RDS gp3 storage (instances and standby)', (inventory.dbInstances + inventory.dbStandbys) * inventory.dbStorageGb, 'GB', PRICES.rdsGp3GbMonth, 1),
    line('RDS Proxy (vCPUs of the primary, 2 minimum)', proxyBilledVcpus(inventory.proxyVcpus ?? 0), 'vCPU', PRICES.rdsProxyVcpuHour, hours),
    line(`ElastiCache ${inventory.cacheEngine} ${inventory.cacheNodeType}`, inventory.cacheNodes, 'node', cache, hours),
    line('Application Load Balancer', inventory.loadBalancers, 'load balancer', PRICES.albHour, hours),
    line('Fargate tasks at the minimum (arm64, 0.25 vCPU, 0.5 GB)', inventory.fargateMinTasks, 'task', fargateTask, hours),
    line('WAF web ACL', inventory.webAcls, 'web ACL', PRICES.wafWebAclMonth, 1),
    line('WAF rules (rate rule + 2 managed groups)', inventory.webAclRules, 'rule', PRICES.wafRuleMonth, 1),
    line('Secrets Manager secrets', inventory.secrets, 'secret', PRICES.secretMonth, 1),
    line('CloudWatch dashboards', inventory.dashboards, 'dashboard', PRICES.dashboardMonth, 1, free.dashboards),
    line(`CloudWatch alarms (${inventory.alarms} alarms)`, inventory.alarmMetrics, 'alarm metric', PRICES.alarmMetricMonth, 1, free.alarmMetrics),
    line('Container Insights metrics (estimate)', inventory.containerInsightsMetrics, 'metric', PRICES.metricMonth, 1, free.metrics),
    line('CloudWatch Logs ingestion at idle (assumed)', IDLE_LOG_INGESTION_GB, 'GB', PRICES.logsIngestedGb, 1, free.logsIngestedGb),
    line('Interface endpoints (per AZ)', inventory.interfaceEndpointAzs, 'endpoint-AZ', PRICES.interfaceEndpointAzHour, hours),
    perUseOnly('CloudFront distribution + VPC origin', inventory.distributions, 'distribution', PRICES.cloudFrontMillionHttpsRequests),
    perUseOnly('DynamoDB global table, on demand', inventory.globalTableRegions, 'Region', PRICES.dynamoDbMillionWrites),
    perUseOnly('Lambda functions (no invocation at idle)', inventory.lambdaFunctions, 'function', PRICES.lambdaMillionRequests),
  ];
}

/** The monthly bill of a configuration at idle; throws MissingPriceError for an unpriced class. */
export function estimateCost(config: AppConfig): CostEstimate {
  const inventory = billableInventory(config);
  const lines = idleLines(inventory);
  const monthly = lines.reduce((sum, l) => sum + l.monthly, 0);
  const extraTasks = inventory.fargateMaxTasks - inventory.fargateMinTasks;
  return {
    lines,
    monthly,
    daily: (monthly * 12) / 365,
    monthlyAtMaxTasks: monthly + extraTasks * fargateTaskMonthly(inventory, PRICE_TABLE.hoursPerMonth),
    inventory,
  };
}

/** A configuration change whose effect on the bill the README and `npm run cost` report. */
export interface CostToggle {
  readonly overrides: Readonly<Record<string, string>>;
}

/** One toggle per key that changes the idle bill (a representative value for numeric keys). */
export const COST_TOGGLES: readonly CostToggle[] = [
  { overrides: { dbReplication: 'sync' } },
  { overrides: { readReplicas: '0' } },
  { overrides: { readReplicas: '3' } },
  { overrides: { dbProxy: 'false' } },
  { overrides: { dbInstanceClass: 't4g.small' } },
  { overrides: { cacheReplicas: '0' } },
  { overrides: { cacheNodeType: 'cache.t4g.small' } },
  { overrides: { natGateways: '2' } },
  { overrides: { interfaceEndpoints: 'true' } },
  { overrides: { edge: 'none' } },
  { overrides: { waf: 'false' } },
  { overrides: { edge: 'none', waf: 'false' } },
  { overrides: { fargateMinTasks: '1' } },
  { overrides: { fargateMinTasks: '4' } },
];

/** Keys that leave the idle bill unchanged (they change traffic prices, or nothing AWS bills at idle). */
export const KEYS_WITHOUT_IDLE_COST = [
  'sticky',
  'stickyDurationSeconds',
  'stickyCookieName',
  'sessionStore',
  'primaryRegion (prices here are us-east-1)',
  'replicaRegions',
  'globalConsistency',
  'witnessRegion',
  'fargateMaxTasks (billed only while tasks run)',
  'targetRequestsPerTask',
  'lambdaConcurrency',
  'lambdaMemoryMb',
  'alarmEmail',
  'budgetMonthlyUsd (the first two budgets of an account are free)',
  'wafRateLimit',
  'certificateArn',
  'removalPolicy (matters after destroy)',
  'availabilityZones',
  'edgeLogRetentionDays (edge logs bill per GB ingested and stored: per use, not at idle)',
] as const;

export interface ToggleDelta {
  readonly label: string;
  readonly monthly: number;
  readonly delta: number;
}

/** Each toggle's monthly total and its difference from `read`'s configuration. */
export function toggleDeltas(read: ContextReader, toggles: readonly CostToggle[] = COST_TOGGLES): ToggleDelta[] {
  const base = estimateCost(parseAppConfig(read).config).monthly;
  return toggles.map(({ overrides }) => {
    const monthly = estimateCost(parseAppConfig((key) => overrides[key] ?? read(key)).config).monthly;
    const label = Object.entries(overrides)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ');
    return { label, monthly, delta: round2(monthly) - round2(base) };
  });
}

export interface TrafficExample {
  readonly requestsPerMonth: number;
  readonly lambdaShare: number;
  readonly responseKb: number;
  readonly lambdaMs: number;
  readonly writeShare: number;
  readonly logKbPerRequest: number;
}

/** The example the per-request prices are applied to (stated in the README and the command's output). */
export const TRAFFIC_EXAMPLE: TrafficExample = {
  requestsPerMonth: 1_000_000,
  lambdaShare: 0.5,
  responseKb: 10,
  lambdaMs: 50,
  writeShare: 0.1,
  logKbPerRequest: 1,
};

export interface TrafficLine {
  readonly resource: string;
  readonly quantity: number;
  readonly unit: string;
  readonly price: Price;
  readonly monthly: number;
}

/**
 * What the example traffic adds to the idle bill, before any free tier (CloudFront's 1 TB and 10
 * million requests, Lambda's million requests would cover it). Fargate stays at its minimum: the
 * example is far below targetRequestsPerTask.
 */
export function trafficCost(config: AppConfig, example: TrafficExample = TRAFFIC_EXAMPLE): TrafficLine[] {
  const millions = example.requestsPerMonth / 1e6;
  const gbOut = (example.requestsPerMonth * example.responseKb) / 1024 / 1024;
  const lambdaMillions = millions * example.lambdaShare;
  const gbSeconds = example.requestsPerMonth * example.lambdaShare * (example.lambdaMs / 1000) * (config.lambdaMemoryMb / 1024);
  const writeMillions = millions * example.writeShare;
  const logGb = (example.requestsPerMonth * example.logKbPerRequest) / 1024 / 1024;
  // One LCU covers 25 new connections per second or 1 GB per hour: the larger of the two, every hour.
  const perSecond = example.requestsPerMonth / (PRICE_TABLE.hoursPerMonth * 3600);
  const lcuHours = Math.max(perSecond / 25, gbOut / PRICE_TABLE.hoursPerMonth) * PRICE_TABLE.hoursPerMonth;
  const item = (resource: string, quantity: number, unit: string, price: Price): TrafficLine => ({ resource, quantity, unit, price, monthly: quantity * price.usd });
  const lines = [
    ...(config.edge === 'cloudfront'
      ? [item('CloudFront HTTPS requests', millions, 'million', PRICES.cloudFrontMillionHttpsRequests), item('CloudFront data out', gbOut, 'GB', PRICES.cloudFrontGbOut)]
      : []),
    ...(config.waf ? [item('WAF requests inspected', millions, 'million', PRICES.wafMillionRequests)] : []),
    item('ALB capacity units', lcuHours, 'LCU-hours', PRICES.albLcuHour),
    item('Lambda requests', lambdaMillions, 'million', PRICES.lambdaMillionRequests),
    item(`Lambda duration (${config.lambdaMemoryMb} MB x ${example.lambdaMs} ms)`, gbSeconds, 'GB-s', PRICES.lambdaArmGbSecond),
    item('DynamoDB writes (primary Region)', writeMillions, 'million', PRICES.dynamoDbMillionWrites),
    item('DynamoDB replicated writes', writeMillions * config.replicaRegions.length, 'million', PRICES.dynamoDbMillionWrites),
    item('Replication between Regions (1 KB items)', (writeMillions * 1e6 * config.replicaRegions.length) / 1024 / 1024, 'GB', PRICES.interRegionGb),
    item('Application logs ingested', logGb, 'GB', PRICES.logsIngestedGb),
    item('NAT data processing (logs to CloudWatch)', config.interfaceEndpoints ? 0 : logGb, 'GB', PRICES.natGatewayGb),
  ];
  return lines;
}
