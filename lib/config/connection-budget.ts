/**
 * The connection budget: the most connections the configuration can open on the primary and on each
 * read replica, against what the instance class allows. Pure arithmetic (no CDK), so it is checked
 * before any construct exists and unit-tested at its boundaries.
 *
 * Worst case per database node =
 *   Fargate: fargateMaxTasks x pool per task (every task, at the ceiling of auto scaling)
 * + Lambda:  on the primary with dbProxy, the proxy's share of max_connections (MaxConnectionsPercent)
 *            (however many environments exist, the proxy opens no more); otherwise
 *            lambdaConcurrency x database functions x pool per environment (unbounded when lambdaConcurrency=0)
 * + headroom: slots RDS reserves for superusers, the rotation functions, the migration step, an operator.
 *
 * @example
 * const problem = connectionBudgetProblem({ dbInstanceClass: 't4g.micro', readReplicas: 2, fargateMaxTasks: 6, lambdaConcurrency: 10, dbProxy: true, lambdaDatabaseFunctions: 4 });
 */

/** `pg` pool size per database node in one Fargate task (several requests in flight at once). */
export const FARGATE_DB_POOL_MAX = 4;
/**
 * `pg` pool size per database node in one Lambda environment: an environment serves one request at a
 * time, so one connection per node is enough, and every extra one multiplies by the concurrency.
 */
export const LAMBDA_DB_POOL_MAX = 1;
/** Share of the primary's max_connections that RDS Proxy may open (its `MaxConnectionsPercent`). */
export const PROXY_MAX_CONNECTIONS_PERCENT = 50;
/** Share the proxy keeps open while idle (`MaxIdleConnectionsPercent`, at most the above). */
export const PROXY_MAX_IDLE_CONNECTIONS_PERCENT = 25;
/**
 * Connections kept free on every node: 5 slots RDS reserves (superuser_reserved_connections 3 +
 * rds.rds_superuser_reserved_connections 2), plus 3 for the two rotation functions and the migration
 * step (or an operator's psql on a replica).
 */
export const CONNECTION_HEADROOM = 8;
/** RDS PostgreSQL's default: max_connections = LEAST(DBInstanceClassMemory / 9531392, 5000). */
export const BYTES_PER_CONNECTION = 9_531_392;
export const MAX_CONNECTIONS_CAP = 5000;
/**
 * DBInstanceClassMemory is the class's memory minus what RDS keeps for the OS and its own processes,
 * so it is below the nominal figure (a 1 GiB micro reports about 81-87, the nominal formula gives 112).
 * Three quarters of the nominal memory is the conservative estimate used here; larger classes lose a
 * smaller share, so the estimate errs low for them, never high.
 */
export const USABLE_MEMORY_FRACTION = 0.75;

const GIB = 1024 ** 3;
/** Burstable classes, GiB by size. */
const BURSTABLE_GIB: Readonly<Record<string, number>> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, '2xlarge': 32 };
/** Multiplier of the `large` size's memory for the larger sizes of a family. */
const SIZE_FACTOR: Readonly<Record<string, number>> = { large: 1, xlarge: 2, '2xlarge': 4, '4xlarge': 8, '8xlarge': 16, '12xlarge': 24, '16xlarge': 32, '24xlarge': 48 };
/** GiB of the `large` size per family: general purpose 8, memory optimized 16. */
const FAMILY_LARGE_GIB: Readonly<Record<string, number>> = {
  t3: 0,
  t4g: 0,
  m5: 8,
  m6g: 8,
  m6i: 8,
  m7g: 8,
  m7i: 8,
  r5: 16,
  r6g: 16,
  r6i: 16,
  r7g: 16,
  r7i: 16,
};

/** Families the budget knows, for error messages. */
export const KNOWN_INSTANCE_FAMILIES = Object.keys(FAMILY_LARGE_GIB);

/**
 * One figure of a class from the table of families and sizes: `burstable[size]` for t3/t4g, else
 * `scaled(GiB of the family's large, SIZE_FACTOR[size])`; undefined for a class not in the table.
 */
function classFigure(instanceClass: string, burstable: Readonly<Record<string, number>>, scaled: (largeGiB: number, factor: number) => number): number | undefined {
  const [family, size] = instanceClass.split('.');
  const large = FAMILY_LARGE_GIB[family];
  if (large === undefined || size === undefined) return undefined;
  if (large === 0) return burstable[size];
  const factor = SIZE_FACTOR[size];
  return factor === undefined ? undefined : scaled(large, factor);
}

/** Nominal memory (GiB) of an RDS class given without `db.`, or undefined for a class not in the table. */
export function instanceMemoryGiB(instanceClass: string): number | undefined {
  return classFigure(instanceClass, BURSTABLE_GIB, (largeGiB, factor) => largeGiB * factor);
}

/** vCPUs of the burstable sizes (every t3/t4g size up to large has 2). */
const BURSTABLE_VCPUS: Readonly<Record<string, number>> = { micro: 2, small: 2, medium: 2, large: 2, xlarge: 4, '2xlarge': 8 };
/** vCPUs of the `large` size of the non-burstable families; larger sizes scale by SIZE_FACTOR. */
const LARGE_VCPUS = 2;

/**
 * vCPUs of an RDS class given without `db.` (what RDS Proxy bills on), or undefined for a class not
 * in the table. Shares the table of families and sizes with the memory estimate.
 */
export function instanceVcpus(instanceClass: string): number | undefined {
  return classFigure(instanceClass, BURSTABLE_VCPUS, (_largeGiB, factor) => LARGE_VCPUS * factor);
}

/** Estimated default max_connections of an RDS PostgreSQL class, or undefined for an unknown class. */
export function maxConnectionsFor(instanceClass: string): number | undefined {
  const gib = instanceMemoryGiB(instanceClass);
  if (gib === undefined) return undefined;
  return Math.min(Math.floor((gib * GIB * USABLE_MEMORY_FRACTION) / BYTES_PER_CONNECTION), MAX_CONNECTIONS_CAP);
}

export interface ConnectionBudgetInput {
  readonly dbInstanceClass: string;
  readonly readReplicas: number;
  readonly fargateMaxTasks: number;
  /** 0 = no reserved concurrency: the number of Lambda environments has no bound. */
  readonly lambdaConcurrency: number;
  readonly dbProxy: boolean;
  /** Lambda functions that open database pools. */
  readonly lambdaDatabaseFunctions: number;
  /** @default FARGATE_DB_POOL_MAX */
  readonly fargatePoolMax?: number;
  /** @default LAMBDA_DB_POOL_MAX */
  readonly lambdaPoolMax?: number;
  /** @default PROXY_MAX_CONNECTIONS_PERCENT */
  readonly proxyMaxConnectionsPercent?: number;
  /** @default CONNECTION_HEADROOM */
  readonly headroom?: number;
}

/** The worst case on one node; `lambda` is Infinity when nothing bounds it. */
export interface NodeBudget {
  readonly node: 'primary' | 'each read replica';
  readonly maxConnections: number;
  readonly fargate: number;
  readonly lambda: number;
  /** How the Lambda share was counted, in the user's keys. */
  readonly lambdaBasis: string;
  readonly headroom: number;
  readonly total: number;
}

/**
 * Whether the Lambda tier reads the replicas directly. Without reserved concurrency nothing bounds
 * its environments, so with the proxy it reads through the proxy (the primary) instead, and the proxy
 * bounds it; without the proxy it is unbounded either way (the budget then fails).
 */
export function lambdaReadsReplicasDirectly(input: Pick<ConnectionBudgetInput, 'lambdaConcurrency' | 'dbProxy'>): boolean {
  return input.lambdaConcurrency > 0 || !input.dbProxy;
}

/** The worst case per node, or undefined when the instance class is not in the table. */
export function connectionBudget(input: ConnectionBudgetInput): NodeBudget[] | undefined {
  const maxConnections = maxConnectionsFor(input.dbInstanceClass);
  if (maxConnections === undefined) return undefined;
  const headroom = input.headroom ?? CONNECTION_HEADROOM;
  const fargate = input.fargateMaxTasks * (input.fargatePoolMax ?? FARGATE_DB_POOL_MAX);
  const poolMax = input.lambdaPoolMax ?? LAMBDA_DB_POOL_MAX;
  const direct =
    input.lambdaConcurrency === 0 ? Number.POSITIVE_INFINITY : input.lambdaConcurrency * input.lambdaDatabaseFunctions * poolMax;
  const directBasis =
    input.lambdaConcurrency === 0
      ? 'lambdaConcurrency=0 (no reservation): unbounded'
      : `lambdaConcurrency=${input.lambdaConcurrency} x ${input.lambdaDatabaseFunctions} functions x ${poolMax} = ${direct}`;
  const percent = input.proxyMaxConnectionsPercent ?? PROXY_MAX_CONNECTIONS_PERCENT;
  const proxyShare = Math.floor((maxConnections * percent) / 100);
  const node = (name: NodeBudget['node'], lambda: number, lambdaBasis: string): NodeBudget => ({
    node: name,
    maxConnections,
    fargate,
    lambda,
    lambdaBasis,
    headroom,
    total: fargate + lambda + headroom,
  });
  const nodes = [
    input.dbProxy
      ? node('primary', proxyShare, `dbProxy=true: ${percent}% of ${maxConnections} = ${proxyShare}`)
      : node('primary', direct, `dbProxy=false, ${directBasis}`),
  ];
  if (input.readReplicas > 0) {
    nodes.push(
      lambdaReadsReplicasDirectly(input)
        ? node('each read replica', direct, directBasis)
        : node('each read replica', 0, 'lambdaConcurrency=0 with dbProxy=true: the Lambda tier reads through the proxy = 0'),
    );
  }
  return nodes;
}

/**
 * One message (in the configuration's `key: got X; allowed: Y` form) when the worst case exceeds a
 * node's max_connections or the class is unknown; undefined when the budget holds.
 */
export function connectionBudgetProblem(input: ConnectionBudgetInput): string | undefined {
  const nodes = connectionBudget(input);
  if (nodes === undefined) {
    return `dbInstanceClass: got ${JSON.stringify(input.dbInstanceClass)}; allowed: a class the connection budget knows (families ${KNOWN_INSTANCE_FAMILIES.join(', ')}; sizes micro to 24xlarge)`;
  }
  const over = nodes.filter((n) => n.total > n.maxConnections);
  if (over.length === 0) return undefined;
  const given = `dbInstanceClass=${input.dbInstanceClass} fargateMaxTasks=${input.fargateMaxTasks} lambdaConcurrency=${input.lambdaConcurrency} dbProxy=${input.dbProxy}`;
  const details = over
    .map(
      (n) =>
        `${n.node}: worst case ${Number.isFinite(n.total) ? n.total : 'unbounded'} > max_connections ${n.maxConnections} ` +
        `(fargateMaxTasks=${input.fargateMaxTasks} x ${input.fargatePoolMax ?? FARGATE_DB_POOL_MAX} = ${n.fargate}; Lambda ${n.lambdaBasis}; headroom ${n.headroom})`,
    )
    .join('; ');
  return (
    `connection budget: got ${given}; allowed: a worst case within max_connections on every node. ${details}. ` +
    'Lower fargateMaxTasks or lambdaConcurrency, set dbProxy=true, or choose a larger dbInstanceClass.'
  );
}
