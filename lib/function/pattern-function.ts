import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env-names';
import { DEPLOYED_NODE_MAJOR } from '../../lambdas/config/node-version';
import { handlerCode } from './handler-bundles';

/**
 * What Lambda needs from the execution role to attach a function to a VPC (the network interface
 * actions of the Lambda Developer Guide, "Giving Lambda functions access to a VPC"). Lambda documents
 * them on `*`: DescribeNetworkInterfaces works only on all resources, and the interfaces are created
 * by Lambda with ids nobody knows at synth time.
 */
export const VPC_NETWORK_INTERFACE_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
] as const;

/** The Lambda runtime of every pattern function: the deployed Node.js version (see node-version.ts). */
export const DEPLOYED_NODE_RUNTIME = new lambda.Runtime(`nodejs${DEPLOYED_NODE_MAJOR}.x`, lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });

export interface PatternFunctionProps {
  /** Handler file under `lambdas/handlers/`, without extension, e.g. `reverse-proxy-handler`. */
  readonly handlerFile: string;
  readonly description: string;
  /** @default - only the project's defaults (tier name, source maps) */
  readonly environment?: Record<string, string>;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /**
   * Place the function in this VPC (private subnets with egress) to reach RDS and ElastiCache.
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /** @default - a security group made by lambda.Function when `vpc` is given */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Reserved concurrency: at most this many environments at once, and guaranteed to the function.
   * @default - no reservation (the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A pattern's Lambda entry point with the project's defaults: the deployed Node.js version on arm64,
 * the handler's part of the one esbuild build of all handlers (`handler-build.ts` says how handlers
 * are bundled), structured JSON logs in a log group with a retention, an execution role that may
 * write to that log group only, and the tier name in its environment. A `lambda.Function`, as
 * `NodejsFunction` is: grants, `connections` and metrics work on it directly.
 *
 * @example
 * const fn = new PatternFunction(this, 'Whoami', { handlerFile: 'reverse-proxy-handler', description: 'Who answered' });
 * table.grantReadData(fn);
 */
export class PatternFunction extends lambda.Function {
  /**
   * The function is `<id>/Resource`, beside its log group (`<id>/Logs`) and role (`<id>/Role`) in a
   * construct of its own named `id`: the tree, and so the logical ids, of the deployed functions,
   * which predate this class extending lambda.Function. (lambda.Function needs the role and log group
   * in its props, before `this` exists, so they cannot be its children.)
   */
  constructor(scope: Construct, id: string, props: PatternFunctionProps) {
    const home = new Construct(scope, id);
    const { logGroup, role } = executionResources(home, props);
    super(home, 'Resource', {
      role,
      logGroup,
      code: handlerCode(home, props.handlerFile),
      handler: 'index.handler',
      runtime: DEPLOYED_NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      vpc: props.vpc,
      vpcSubnets: props.vpc === undefined ? undefined : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: props.securityGroups,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        [ENV.tier]: 'lambda',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
  }
}

/** The function's log group and its own execution role, which may write to that log group only. */
function executionResources(home: Construct, props: PatternFunctionProps): { logGroup: logs.LogGroup; role: iam.Role } {
  const logGroup = new logs.LogGroup(home, 'Logs', {
    retention: logs.RetentionDays.TWO_WEEKS,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // Own role instead of AWSLambdaBasicExecutionRole (lambda.Function's default): that one may write to every log group.
  const role = new iam.Role(home, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Execution role of ${props.handlerFile}`,
  });
  logGroup.grantWrite(role);
  if (props.vpc !== undefined) {
    // Not AWSLambdaVPCAccessExecutionRole: besides these actions it grants logs:CreateLogGroup,
    // CreateLogStream and PutLogEvents on *, which would undo the grant above. No construct grants
    // these (they are on network interfaces Lambda creates), hence iam.Grant's generic grant.
    iam.Grant.addToPrincipal({ grantee: role, actions: [...VPC_NETWORK_INTERFACE_ACTIONS], resourceArns: ['*'] });
  }
  return { logGroup, role };
}
