import { Stack, type StackProps, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ZonePlacement } from '../config/availability-zones';

export interface NetworkStackProps extends StackProps {
  /** NAT gateways (one per AZ is resilient, one in total is cheap). */
  readonly natGateways: number;
  /**
   * Interface endpoints for Secrets Manager, ECR and CloudWatch Logs, so that this traffic stays off the
   * NAT gateway. Each costs about $7/month per AZ, so they are off by default.
   * @default false
   */
  readonly interfaceEndpoints?: boolean;
  /**
   * The two Availability Zones, by zone ID (the subnets then name `AvailabilityZoneId`, the same zone
   * in every account), or the first two zone names of the account (a VPC deployed before zone IDs).
   */
  readonly availabilityZones: ZonePlacement;
}

/**
 * The network every regional-primary resource lives in: public subnets for the load balancer, private
 * subnets with egress for Lambda and Fargate, isolated subnets for RDS and ElastiCache. Gateway
 * endpoints (free) keep DynamoDB and S3 traffic off the NAT gateway; VPC flow logs record rejected
 * and accepted traffic for auditing.
 */
export class NetworkStack extends Stack {
  readonly vpc: ec2.IVpc;
  /** The zone IDs the subnets name. @default - the first two zone names (legacy placement) */
  readonly zoneIds?: readonly string[];

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.zoneIds = props.availabilityZones.kind === 'ids' ? props.availabilityZones.zoneIds : undefined;

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      },
      restrictDefaultSecurityGroup: true,
    });
    if (this.zoneIds !== undefined) {
      // The VPC's zones are the zone IDs (see availabilityZones below): name them as IDs in the template.
      for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
        const cfnSubnet = subnet.node.defaultChild as ec2.CfnSubnet;
        cfnSubnet.availabilityZoneId = subnet.availabilityZone;
        cfnSubnet.availabilityZone = undefined;
      }
    }

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: logs.RetentionDays.TWO_WEEKS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    if (props.interfaceEndpoints === true) {
      const services = {
        SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
        EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
        EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
        Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      };
      for (const [name, service] of Object.entries(services)) {
        const endpoint = vpc.addInterfaceEndpoint(name, {
          service,
          subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
          // Only the compute subnets use the endpoints (HTTPS), not the whole VPC.
          open: false,
        });
        for (const subnet of vpc.privateSubnets) {
          endpoint.connections.allowFrom(ec2.Peer.ipv4(subnet.ipv4CidrBlock), ec2.Port.tcp(443), 'HTTPS from the compute subnets');
        }
      }
    }

    this.vpc = vpc;
  }

  /**
   * The zone IDs when the placement names them: the VPC takes its zones from here, so no zone-name
   * lookup happens and the subnets can be placed by ID.
   */
  override get availabilityZones(): string[] {
    return this.zoneIds === undefined ? super.availabilityZones : [...this.zoneIds];
  }
}
