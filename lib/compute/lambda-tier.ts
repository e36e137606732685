import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LAMBDA_PATH_PREFIX } from '../../lambdas/http/pattern-paths';
import { PATTERNS } from '../../lambdas/patterns';
import { allowReach, type DatabaseRouting, type PatternData, type PatternDependency, patternAccess } from './data-access';
import type { SessionStoreKind } from '../../lambdas/config/vocabulary';
import { PatternFunction } from '../function/pattern-function';
import { ConcurrencyPreflight } from './concurrency-preflight';

export interface LambdaPattern {
  /** Construct id and route name, e.g. `Session`. */
  readonly id: string;
  /** Handler file under `lambdas/handlers/`, without extension. */
  readonly handlerFile: string;
  /** Paths under `/lambda` this handler serves (ALB path patterns). */
  readonly pathPatterns: readonly string[];
  readonly uses: readonly PatternDependency[];
  readonly description: string;
}

type LambdaTierWord = 'reverse-proxy' | 'sessions' | 'cache-aside' | 'read-replica' | 'replication-lag' | 'counters';

/**
 * A Lambda-tier pattern's construct id, handler file and paths (under the `/lambda` prefix), as
 * the pattern registry names them.
 */
function fromRegistry(word: LambdaTierWord): Pick<LambdaPattern, 'id' | 'handlerFile' | 'pathPatterns'> {
  const entry = PATTERNS[word];
  return {
    id: entry.lambdaTierId,
    handlerFile: entry.handler,
    pathPatterns: entry.albPaths.map((path) => `${LAMBDA_PATH_PREFIX}${path}`),
  };
}

/** The Lambda tier's routes: one handler per pattern, serving that pattern's paths under `/lambda`. */
export const LAMBDA_PATTERNS: readonly LambdaPattern[] = [
  {
    ...fromRegistry('reverse-proxy'),
    uses: [],
    description: 'Instance identity: which execution environment served the request',
  },
  {
    ...fromRegistry('sessions'),
    uses: ['sessions'],
    description: 'Sessions: memory, Redis or signed-cookie strategy',
  },
  {
    ...fromRegistry('cache-aside'),
    uses: ['database', 'cache'],
    description: 'Cache-aside: profiles read through Valkey, filled from PostgreSQL',
  },
  {
    ...fromRegistry('read-replica'),
    uses: ['database'],
    description: 'Read/write splitting over the read replicas, with read-your-writes',
  },
  {
    ...fromRegistry('replication-lag'),
    uses: ['database'],
    description: 'Replication lag of each read replica, in bytes and in time',
  },
  {
    ...fromRegistry('counters'),
    uses: ['database'],
    description: 'Independence vs coordination: one hot counter row vs sharded rows',
  },
];

export interface LambdaTierProps {
  readonly vpc: ec2.IVpc;
  readonly data: PatternData;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default LAMBDA_PATTERNS */
  readonly patterns?: readonly LambdaPattern[];
  /**
   * Reserved concurrency of each function: a flood is throttled (the ALB answers 503) instead of
   * starving the account's other functions and multiplying database connections.
   * @default - no reservation
   */
  readonly reservedConcurrency?: number;
  /** How the functions reach the database (pool size, proxy, replicas). */
  readonly databaseRouting: DatabaseRouting;
  /** Where the sessions pattern keeps sessions (the `sessionStore` context key). */
  readonly sessionStore: SessionStoreKind;
  /** Environment every function gets on top of its pattern's own (e.g. the trusted proxy header). @default - none */
  readonly environment?: Record<string, string>;
}

/** The patterns of `patterns` that open database pools (the connection budget counts them). */
export function databasePatterns(patterns: readonly LambdaPattern[] = LAMBDA_PATTERNS): LambdaPattern[] {
  return patterns.filter((pattern) => pattern.uses.includes('database'));
}

/**
 * One Lambda function per pattern, in the VPC's private subnets, sharing one security group. Each
 * function gets only the environment, secret grants and network paths its pattern uses.
 */
export class LambdaTier extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  readonly patterns: readonly LambdaPattern[];
  /** @default - no reservation, nothing to check */
  readonly concurrencyPreflight?: ConcurrencyPreflight;

  constructor(scope: Construct, id: string, props: LambdaTierProps) {
    super(scope, id);
    this.patterns = props.patterns ?? LAMBDA_PATTERNS;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Lambda tier of the scalability patterns',
    });

    const functions = new Map<string, lambda.IFunction>();
    for (const pattern of this.patterns) {
      const access = patternAccess(pattern.uses, props.data, props.databaseRouting, props.sessionStore);
      const fn = new PatternFunction(this, pattern.id, {
        handlerFile: pattern.handlerFile,
        description: pattern.description,
        memorySize: props.memorySize,
        environment: {
          ...props.environment,
          ...access.environment,
          // The Lambda runtime ships the RDS CA bundle here; Node does not load it by default.
          ...(pattern.uses.includes('database') ? { NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' } : {}),
        },
        vpc: props.vpc,
        securityGroups: [this.securityGroup],
        reservedConcurrentExecutions: props.reservedConcurrency === 0 ? undefined : props.reservedConcurrency,
      });
      for (const grant of access.grants) grant(fn);
      functions.set(pattern.id, fn);
    }
    this.functions = functions;
    if (props.reservedConcurrency !== undefined && props.reservedConcurrency > 0) {
      this.concurrencyPreflight = new ConcurrencyPreflight(this, 'ConcurrencyPreflight', {
        functions: [...functions.values()],
        perFunction: props.reservedConcurrency,
      });
    }

    const allUses = this.patterns.flatMap((pattern) => pattern.uses);
    allowReach(this, patternAccess(allUses, props.data, props.databaseRouting, props.sessionStore), this.securityGroup, 'the Lambda tier');
  }
}
