import {
  CONNECTION_HEADROOM,
  connectionBudget,
  connectionBudgetProblem,
  type ConnectionBudgetInput,
  FARGATE_DB_POOL_MAX,
  instanceMemoryGiB,
  maxConnectionsFor,
} from '../../lib/config/connection-budget';

/** The default configuration: t4g.micro, 2 replicas, 6 tasks max, 10 per function, proxy on, 4 database functions. */
const DEFAULTS: ConnectionBudgetInput = {
  dbInstanceClass: 't4g.micro',
  readReplicas: 2,
  fargateMaxTasks: 6,
  lambdaConcurrency: 10,
  dbProxy: true,
  lambdaDatabaseFunctions: 4,
};

describe('maxConnectionsFor', () => {
  it.each([
    ['t4g.micro', 1, 84],
    ['t3.small', 2, 168],
    ['t4g.medium', 4, 337],
    ['m6g.large', 8, 675],
    ['r6g.large', 16, 1351],
    ['r6g.2xlarge', 64, 5000],
  ])('estimates %s (%d GiB) at %d: 3/4 of the memory / 9531392, capped at 5000', (instanceClass, gib, expected) => {
    expect(instanceMemoryGiB(instanceClass)).toBe(gib);
    expect(maxConnectionsFor(instanceClass)).toBe(expected);
  });

  it('knows nothing of a class outside its table (no guess)', () => {
    expect(maxConnectionsFor('x2g.large')).toBeUndefined();
    expect(maxConnectionsFor('t4g.huge')).toBeUndefined();
    expect(maxConnectionsFor('m6g.micro')).toBeUndefined();
  });
});

describe('connectionBudget', () => {
  it('holds for the defaults: primary 24 + 42 (proxy 50%) + 8 = 74, each replica 24 + 40 + 8 = 72, of 84', () => {
    // Act
    const nodes = connectionBudget(DEFAULTS)!;

    // Assess
    expect(nodes.map(({ node, fargate, lambda, headroom, total, maxConnections }) => ({ node, fargate, lambda, headroom, total, maxConnections }))).toEqual([
      { node: 'primary', fargate: 6 * FARGATE_DB_POOL_MAX, lambda: 42, headroom: CONNECTION_HEADROOM, total: 74, maxConnections: 84 },
      { node: 'each read replica', fargate: 24, lambda: 40, headroom: 8, total: 72, maxConnections: 84 },
    ]);
    expect(connectionBudgetProblem(DEFAULTS)).toBeUndefined();
  });

  it('counts the Lambda tier per environment on the primary without the proxy', () => {
    expect(connectionBudget({ ...DEFAULTS, dbProxy: false })![0]).toMatchObject({ lambda: 40, total: 72 });
  });

  it('has no replica line without replicas', () => {
    expect(connectionBudget({ ...DEFAULTS, readReplicas: 0 })!.map((n) => n.node)).toEqual(['primary']);
  });

  it('keeps the Lambda tier off the replicas when nothing bounds it but the proxy does', () => {
    expect(connectionBudget({ ...DEFAULTS, lambdaConcurrency: 0 })![1]).toMatchObject({ lambda: 0, total: 32 });
    expect(connectionBudgetProblem({ ...DEFAULTS, lambdaConcurrency: 0 })).toBeUndefined();
  });

  it('holds exactly at max_connections and fails one connection above (the boundary)', () => {
    // Prepare: replicas 24 + 13 x 4 x 1 + 8 = 84 = max_connections
    const atLimit = { ...DEFAULTS, lambdaConcurrency: 13 };

    // Act + Assess
    expect(connectionBudget(atLimit)![1].total).toBe(84);
    expect(connectionBudgetProblem(atLimit)).toBeUndefined();
    expect(connectionBudget({ ...atLimit, headroom: CONNECTION_HEADROOM + 1 })![1].total).toBe(85);
    expect(connectionBudgetProblem({ ...atLimit, headroom: CONNECTION_HEADROOM + 1 })).toMatch(/each read replica: worst case 85 > max_connections 84/);
  });

  it('fails with one message naming the keys and the numbers (dbProxy=false, lambdaConcurrency=200)', () => {
    expect(connectionBudgetProblem({ ...DEFAULTS, dbProxy: false, lambdaConcurrency: 200 })).toBe(
      'connection budget: got dbInstanceClass=t4g.micro fargateMaxTasks=6 lambdaConcurrency=200 dbProxy=false; allowed: a worst case within max_connections on every node. ' +
        'primary: worst case 832 > max_connections 84 (fargateMaxTasks=6 x 4 = 24; Lambda dbProxy=false, lambdaConcurrency=200 x 4 functions x 1 = 800; headroom 8); ' +
        'each read replica: worst case 832 > max_connections 84 (fargateMaxTasks=6 x 4 = 24; Lambda lambdaConcurrency=200 x 4 functions x 1 = 800; headroom 8). ' +
        'Lower fargateMaxTasks or lambdaConcurrency, set dbProxy=true, or choose a larger dbInstanceClass.',
    );
  });

  it('fails an unbounded Lambda tier: dbProxy=false with lambdaConcurrency=0', () => {
    expect(connectionBudgetProblem({ ...DEFAULTS, dbProxy: false, lambdaConcurrency: 0, readReplicas: 0 })).toBe(
      'connection budget: got dbInstanceClass=t4g.micro fargateMaxTasks=6 lambdaConcurrency=0 dbProxy=false; allowed: a worst case within max_connections on every node. ' +
        'primary: worst case unbounded > max_connections 84 (fargateMaxTasks=6 x 4 = 24; Lambda dbProxy=false, lambdaConcurrency=0 (no reservation): unbounded; headroom 8). ' +
        'Lower fargateMaxTasks or lambdaConcurrency, set dbProxy=true, or choose a larger dbInstanceClass.',
    );
  });

  it('fails too many Fargate tasks for the class, and passes them on a larger class', () => {
    expect(connectionBudgetProblem({ ...DEFAULTS, fargateMaxTasks: 50 })).toMatch(/^connection budget: .*primary: worst case 250 > max_connections 84/);
    expect(connectionBudgetProblem({ ...DEFAULTS, fargateMaxTasks: 50, dbInstanceClass: 'm6g.large' })).toBeUndefined();
  });

  it('refuses an instance class it cannot size, naming the key', () => {
    expect(connectionBudgetProblem({ ...DEFAULTS, dbInstanceClass: 'x2g.large' })).toBe(
      'dbInstanceClass: got "x2g.large"; allowed: a class the connection budget knows (families t3, t4g, m5, m6g, m6i, m7g, m7i, r5, r6g, r6i, r7g, r7i; sizes micro to 24xlarge)',
    );
  });
});
