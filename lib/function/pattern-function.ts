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
  /** Handler file under `lambdas/handlers/`, without extension, e.g. `whoami-handler`. */
  readonly handlerFile: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** Place the function in this VPC (private subnets with egress) to reach RDS and ElastiCache. */
  readonly vpc?: ec2.IVpc;
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** @default 'lambda' */
  readonly tier?: 'lambda';
  /**
   * Reserved concurrency: at most this many environments at once, and guaranteed to the function.
   * @default - no reservation (the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A pattern's Lambda entry point with the project's defaults: the deployed Node.js version on arm64, esbuild bundle,
 * structured JSON logs in a log group with a retention, and the tier name in its environment.
 * A plain `lambda.Function`: its code is the handler's part of the one build of all handlers,
 * whose settings live in `handler-build.ts` (the one place to change how handlers are bundled).
 */
export class PatternFunction extends Construct {
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: PatternFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.TWO_WEEKS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Own role instead of AWSLambdaBasicExecutionRole: it may write to this function's log group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.handlerFile}`,
    });
    logGroup.grantWrite(role);
    if (props.vpc !== undefined) {
      // Not AWSLambdaVPCAccessExecutionRole: besides these actions it grants logs:CreateLogGroup,
      // CreateLogStream and PutLogEvents on *, which would undo the grant above.
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...VPC_NETWORK_INTERFACE_ACTIONS], resources: ['*'] }));
    }
    this.function = new lambda.Function(this, 'Resource', {
      role,
      code: handlerCode(this, props.handlerFile),
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
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        [ENV.tier]: props.tier ?? 'lambda',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
  }
}
