import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { allowReach, type PatternData, type PatternDependency, patternAccess } from './data-access';
import { PatternFunction } from './pattern-function';

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

/** The Lambda tier's routes: one handler per pattern, each behind `/lambda/<pattern>`. */
export const LAMBDA_PATTERNS: readonly LambdaPattern[] = [
  {
    id: 'Whoami',
    handlerFile: 'whoami-handler',
    pathPatterns: ['/lambda/whoami', '/lambda/healthz'],
    uses: [],
    description: 'Instance identity: which execution environment served the request',
  },
  {
    id: 'Session',
    handlerFile: 'session-handler',
    pathPatterns: ['/lambda/session', '/lambda/session/*'],
    uses: ['sessions'],
    description: 'Sessions: memory, Redis or signed-cookie strategy',
  },
];

export interface LambdaTierProps {
  readonly vpc: ec2.IVpc;
  readonly data: PatternData;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default LAMBDA_PATTERNS */
  readonly patterns?: readonly LambdaPattern[];
}

/**
 * One Lambda function per pattern, in the VPC's private subnets, sharing one security group. Each
 * function gets only the environment, secret grants and network paths its pattern uses.
 */
export class LambdaTier extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  readonly patterns: readonly LambdaPattern[];

  constructor(scope: Construct, id: string, props: LambdaTierProps) {
    super(scope, id);
    this.patterns = props.patterns ?? LAMBDA_PATTERNS;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Lambda tier of the scalability patterns',
    });

    const functions = new Map<string, lambda.IFunction>();
    for (const pattern of this.patterns) {
      const access = patternAccess(pattern.uses, props.data);
      const fn = new PatternFunction(this, pattern.id, {
        handlerFile: pattern.handlerFile,
        description: pattern.description,
        memorySize: props.memorySize,
        environment: {
          ...access.environment,
          // The Lambda runtime ships the RDS CA bundle here; Node does not load it by default.
          ...(pattern.uses.includes('database') ? { NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' } : {}),
        },
        vpc: props.vpc,
        securityGroups: [this.securityGroup],
      }).function;
      for (const secret of access.secrets) secret.grantRead(fn);
      functions.set(pattern.id, fn);
    }
    this.functions = functions;

    const allUses = this.patterns.flatMap((pattern) => pattern.uses);
    allowReach(this, patternAccess(allUses, props.data), this.securityGroup, 'the Lambda tier');
  }
}
