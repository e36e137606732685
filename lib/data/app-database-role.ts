import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env-names';
import { PatternConstructError } from '../construct-error';
import { PatternFunction } from '../function/pattern-function';

export const APP_ROLE_NAME = 'patterns_app';

/**
 * Characters the generated and the rotated passwords leave out: the RDS default set (quotes,
 * slashes, `@`, `:` and the like break connection strings and the pooler's auth file).
 */
export const PASSWORD_EXCLUDE_CHARACTERS = " %+~`#$&*()|[]{}:;<>?!'/@\"\\";

export interface AppDatabaseRoleProps {
  readonly vpc: ec2.IVpc;
  readonly primary: rds.DatabaseInstance;
  /** Master credentials: read here, by the migration function, and by no request path. */
  readonly masterSecret: secretsmanager.ISecret;
  /** The primary's security group and port (`connections.defaultPort`): the migration step connects through it. */
  readonly database: ec2.IConnectable;
  readonly databaseName: string;
  /** @default APP_ROLE_NAME */
  readonly username?: string;
  /** @default Duration.days(30) */
  readonly rotateAfter?: Duration;
}

/**
 * The application role and the deploy-time step that makes it. A `triggers.Trigger` runs the
 * migration function (`lambdas/handlers/migration-handler.ts`) once the primary and the secrets
 * exist, and again whenever its code changes: it alone reads the master secret, applies the
 * migrations on a direct connection (its advisory lock would pin a proxied session), and
 * creates/updates the role with only DML on the pattern tables. A failed migration throws, which
 * fails the trigger and so the deploy, with the database's message.
 *
 * The role's password lives in its own secret, rotated by the single-user strategy: the rotation
 * function logs in as the role itself, at the secret's `host` (the instance endpoint, never the
 * proxy: a rotation function cannot log in through RDS Proxy, aws-samples/
 * aws-secrets-manager-rotation-lambdas#103), and changes its password. The username never changes,
 * so the secret stays what RDS Proxy needs, one login per secret. The multi-user strategy, which
 * alternates the secret between the role and a clone, leaves the proxy with no credentials for
 * the clone after a rotation (aws/aws-cdk#25568, aws-samples/aws-secrets-manager-rotation-lambdas#108).
 * The tiers' refused-login retry (`lambdas/core/refused-login-retry.ts`) covers the seconds of
 * the switch-over, as the Secrets Manager documentation advises for this strategy.
 *
 * Both rotation schedules (the app secret's here, and the master secret's) come after the
 * migration trigger: a new schedule rotates at once, and the migration must neither read the
 * master password in the middle of a rotation nor meet an app secret whose role does not exist yet.
 */
export class AppDatabaseRole extends Construct {
  /** The application role's credentials (host, port, username, password): the only secret the tiers get. */
  readonly secret: secretsmanager.ISecret;
  readonly migration: lambda.Function;
  readonly trigger: triggers.Trigger;

  constructor(scope: Construct, id: string, props: AppDatabaseRoleProps) {
    super(scope, id);
    const appSecret = new rds.DatabaseSecret(this, 'Secret', {
      username: props.username ?? APP_ROLE_NAME,
      dbname: props.databaseName,
      excludeCharacters: PASSWORD_EXCLUDE_CHARACTERS,
      // No masterSecret: the single-user rotation logs in as the role itself, and must not need the master.
    });
    // Adds host (the instance endpoint), port and engine, which the rotation function needs. The
    // tiers never read the host from here: DB_PRIMARY_HOST names the proxy or the instance.
    const attachment = appSecret.attach(props.primary);
    this.secret = attachment;

    const securityGroup = new ec2.SecurityGroup(this, 'MigrationSecurityGroup', {
      vpc: props.vpc,
      description: 'Deploy-time migration step: reaches the primary directly',
    });
    // An explicit rule, so that the trigger can wait for it: the migration must not run before it can
    // connect (`connections.allowDefaultPortFrom` would make a rule the trigger cannot name, under another logical id).
    const { connections } = props.database;
    if (connections.defaultPort === undefined) throw new PatternConstructError(this, 'database: its connections need a default port');
    const toDatabase = new ec2.CfnSecurityGroupIngress(this, 'MigrationToDatabase', {
      groupId: connections.securityGroups[0].securityGroupId,
      sourceSecurityGroupId: securityGroup.securityGroupId,
      ...connections.defaultPort.toRuleJson(),
      description: 'PostgreSQL from the migration step',
    });

    this.migration = new PatternFunction(this, 'Migration', {
      handlerFile: 'migration-handler',
      description: 'Deploy time only: applies the migrations and creates/updates the application role',
      timeout: Duration.minutes(2),
      vpc: props.vpc,
      securityGroups: [securityGroup],
      environment: {
        [ENV.dbMasterSecretArn]: props.masterSecret.secretArn,
        [ENV.dbAppSecretArn]: this.secret.secretArn,
        // Direct to the instance, never the proxy: session-level locks and DDL must not be pooled.
        [ENV.dbPrimaryHost]: props.primary.dbInstanceEndpointAddress,
        [ENV.dbPrimaryPort]: props.primary.dbInstanceEndpointPort,
        [ENV.dbName]: props.databaseName,
        [ENV.dbSsl]: 'verify-full',
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      },
    });
    props.masterSecret.grantRead(this.migration);
    this.secret.grantRead(this.migration);

    this.trigger = new triggers.Trigger(this, 'Migrate', {
      handler: this.migration,
      // Resources, not their constructs: the constructs hold the app secret's rotation (function and
      // schedule), which must come after the trigger, not before it.
      executeAfter: [
        props.primary.node.defaultChild as Construct,
        appSecret.node.defaultChild as Construct,
        attachment.node.defaultChild as Construct,
        toDatabase,
      ],
      executeOnHandlerChange: true,
      timeout: Duration.minutes(2),
    });

    new secretsmanager.SecretRotation(this, 'SecretRotation', {
      application: secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER,
      secret: this.secret,
      // Opens the database port to the rotation function: it logs in at the secret's host, the instance.
      target: props.primary,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      automaticallyAfter: props.rotateAfter ?? Duration.days(30),
      excludeCharacters: PASSWORD_EXCLUDE_CHARACTERS,
    });
    for (const schedule of [...rotationSchedules(this.secret), ...rotationSchedules(props.masterSecret)]) {
      schedule.node.addDependency(this.trigger);
    }
  }
}

/** The rotation schedules of `secret` (each rotation application adds one under the secret). */
function rotationSchedules(secret: secretsmanager.ISecret): secretsmanager.RotationSchedule[] {
  return secret.node.findAll().filter((c): c is secretsmanager.RotationSchedule => c instanceof secretsmanager.RotationSchedule);
}
