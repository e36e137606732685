/**
 * The one dated table of prices the cost model (`cost-model.ts`) multiplies: us-east-1, on-demand,
 * US dollars. Each price names the pricing page it comes from and whether it was confirmed against a
 * published copy when the table was last checked (`confirmed: false` = from memory or derived, see
 * `note`). Plain data, no CDK: the cost command and the README test load it offline.
 *
 * To price a new instance class or node type, add a row to `DB_INSTANCE_HOURLY` or
 * `CACHE_NODE_HOURLY`; a class without a row is refused by name, never guessed.
 */

export const PRICE_TABLE = {
  /** When the figures below were last checked. */
  checked: '2026-12-07',
  region: 'us-east-1',
  /** AWS prices a month of an hourly resource as 730 hours. */
  hoursPerMonth: 730,
} as const;

export interface Price {
  readonly usd: number;
  /** What one `usd` buys, e.g. `hour`, `GB-month`, `million requests`. */
  readonly per: string;
  /** The pricing page (or documentation page) the figure comes from. */
  readonly source: string;
  /** True when a published copy of the figure was seen while checking the table. */
  readonly confirmed: boolean;
  readonly note?: string;
}

const SOURCE = {
  vpc: 'https://aws.amazon.com/vpc/pricing/',
  privateLink: 'https://aws.amazon.com/privatelink/pricing/',
  rds: 'https://aws.amazon.com/rds/postgresql/pricing/',
  rdsProxy: 'https://aws.amazon.com/rds/proxy/pricing/',
  elastiCache: 'https://aws.amazon.com/elasticache/pricing/',
  elb: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
  fargate: 'https://aws.amazon.com/fargate/pricing/',
  waf: 'https://aws.amazon.com/waf/pricing/',
  secrets: 'https://aws.amazon.com/secrets-manager/pricing/',
  cloudWatch: 'https://aws.amazon.com/cloudwatch/pricing/',
  cloudFront: 'https://aws.amazon.com/cloudfront/pricing/',
  dynamoDb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  lambda: 'https://aws.amazon.com/lambda/pricing/',
  dataTransfer: 'https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer',
  budgets: 'https://aws.amazon.com/aws-cost-management/aws-budgets/pricing/',
} as const;

const price = (usd: number, per: string, source: string, confirmed: boolean, note?: string): Price => ({ usd, per, source, confirmed, note });

/** Prices billed while the stacks sit idle, and the per-request prices of the traffic example. */
export const PRICES = {
  natGatewayHour: price(0.045, 'hour', SOURCE.vpc, true),
  natGatewayGb: price(0.045, 'GB processed', SOURCE.vpc, true),
  publicIpv4Hour: price(0.005, 'hour', SOURCE.vpc, true, 'every public IPv4 address, in use or not, since February 2024'),
  interfaceEndpointAzHour: price(0.01, 'hour per AZ', SOURCE.privateLink, true),
  rdsGp3GbMonth: price(0.115, 'GB-month', SOURCE.rds, true, 'Single-AZ gp3; a Multi-AZ standby bills its own copy'),
  rdsProxyVcpuHour: price(0.015, 'vCPU-hour', SOURCE.rdsProxy, false, 'billed on the vCPUs of the instance behind the proxy, with a 2-vCPU minimum (from memory)'),
  albHour: price(0.0225, 'hour', SOURCE.elb, true),
  albLcuHour: price(0.008, 'LCU-hour', SOURCE.elb, true),
  fargateArmVcpuHour: price(0.03238, 'vCPU-hour', SOURCE.fargate, true, 'Linux/ARM (Graviton)'),
  fargateArmGbHour: price(0.00356, 'GB-hour', SOURCE.fargate, true, 'Linux/ARM (Graviton)'),
  wafWebAclMonth: price(5, 'web ACL-month', SOURCE.waf, true),
  wafRuleMonth: price(1, 'rule-month', SOURCE.waf, true, 'an AWS managed rule group counts as one rule'),
  wafMillionRequests: price(0.6, 'million requests', SOURCE.waf, true),
  secretMonth: price(0.4, 'secret-month', SOURCE.secrets, true),
  dashboardMonth: price(3, 'dashboard-month', SOURCE.cloudWatch, true),
  alarmMetricMonth: price(0.1, 'alarm metric-month', SOURCE.cloudWatch, true, 'standard resolution; a metric-math alarm counts each metric it reads (from memory)'),
  metricMonth: price(0.3, 'metric-month', SOURCE.cloudWatch, false, 'first 10,000 custom metrics (from memory)'),
  logsIngestedGb: price(0.5, 'GB ingested', SOURCE.cloudWatch, true),
  cloudFrontMillionHttpsRequests: price(1, 'million HTTPS requests', SOURCE.cloudFront, false, 'North America, $0.0100 per 10,000 (from memory)'),
  cloudFrontGbOut: price(0.085, 'GB to the internet', SOURCE.cloudFront, false, 'North America, first 10 TB (from memory)'),
  lambdaMillionRequests: price(0.2, 'million requests', SOURCE.lambda, false, 'from memory'),
  lambdaArmGbSecond: price(0.0000133334, 'GB-second', SOURCE.lambda, false, 'arm64, first tier (from memory)'),
  dynamoDbMillionWrites: price(0.625, 'million write request units', SOURCE.dynamoDb, false, 'on-demand, since the November 2024 price cut (from memory); a replicated write bills the same per replica Region'),
  interRegionGb: price(0.02, 'GB between Regions', SOURCE.dataTransfer, false, 'from memory'),
  budgetDay: price(0.02, 'budget-day', SOURCE.budgets, false, 'the first two budgets of an account are free (from memory)'),
} as const satisfies Record<string, Price>;

/**
 * Always-free allowances of CloudWatch, per account and month. The model applies them as if these
 * stacks were the account's only user of them (an assumption the README states).
 */
export const CLOUDWATCH_FREE_TIER = {
  dashboards: 3,
  alarmMetrics: 10,
  metrics: 10,
  logsIngestedGb: 5,
  source: SOURCE.cloudWatch,
  confirmed: false,
} as const;

/** RDS for PostgreSQL, Single-AZ, per instance-hour, by class without the `db.` prefix. Multi-AZ bills twice. */
export const DB_INSTANCE_HOURLY: Readonly<Record<string, Price>> = {
  't4g.micro': price(0.016, 'hour', SOURCE.rds, true),
  't4g.small': price(0.032, 'hour', SOURCE.rds, true),
  't4g.medium': price(0.065, 'hour', SOURCE.rds, true),
  't4g.large': price(0.129, 'hour', SOURCE.rds, false, 'from memory'),
  't3.micro': price(0.018, 'hour', SOURCE.rds, false, 'from memory'),
  't3.small': price(0.036, 'hour', SOURCE.rds, false, 'from memory'),
  't3.medium': price(0.072, 'hour', SOURCE.rds, false, 'from memory'),
  'm6g.large': price(0.159, 'hour', SOURCE.rds, false, 'from memory'),
};

/** Cache engines the table prices; the stack's replication group runs Valkey. */
export type CacheEngine = 'valkey' | 'redis';

/**
 * ElastiCache node-based clusters, per node-hour, by engine and node type. Valkey nodes cost 20%
 * less than Redis OSS nodes of the same type.
 */
export const CACHE_NODE_HOURLY: Readonly<Record<CacheEngine, Readonly<Record<string, Price>>>> = {
  valkey: {
    'cache.t4g.micro': price(0.0128, 'hour', SOURCE.elastiCache, false, '80% of the Redis OSS price (from memory)'),
    'cache.t4g.small': price(0.0256, 'hour', SOURCE.elastiCache, false, '80% of the Redis OSS price (from memory)'),
    'cache.t4g.medium': price(0.052, 'hour', SOURCE.elastiCache, false, '80% of the Redis OSS price (from memory)'),
    'cache.m7g.large': price(0.1264, 'hour', SOURCE.elastiCache, false, '80% of the Redis OSS price (from memory)'),
    'cache.r7g.large': price(0.1752, 'hour', SOURCE.elastiCache, false, '80% of the Redis OSS price (from memory)'),
  },
  redis: {
    'cache.t4g.micro': price(0.016, 'hour', SOURCE.elastiCache, false, 'from memory'),
    'cache.t4g.small': price(0.032, 'hour', SOURCE.elastiCache, false, 'from memory'),
    'cache.t4g.medium': price(0.065, 'hour', SOURCE.elastiCache, false, 'from memory'),
    'cache.m7g.large': price(0.158, 'hour', SOURCE.elastiCache, false, 'from memory'),
    'cache.r7g.large': price(0.219, 'hour', SOURCE.elastiCache, false, 'from memory'),
  },
};
