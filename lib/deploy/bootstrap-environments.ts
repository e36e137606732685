import { type App, Stack, Token } from 'aws-cdk-lib';

/** What a user types for their account when the configuration does not pin one (`-c account=...`). */
export const ACCOUNT_PLACEHOLDER = 'ACCOUNT';

/**
 * Every Region the app's stacks deploy to, in the order the stacks were added (the primary Region
 * first): the primary, each replica Region of the global table, and us-east-1 when the CloudFront
 * web ACL needs its own stack there. A witness Region of a strong global table has no stack (DynamoDB
 * runs the witness itself), so it needs no bootstrap and is not listed.
 */
export function deploymentRegions(app: App): string[] {
  const regions = app.node
    .findAll()
    .filter((construct): construct is Stack => Stack.isStack(construct))
    .map((stack) => stack.region)
    .filter((region) => !Token.isUnresolved(region));
  return [...new Set(regions)];
}

/**
 * The `cdk bootstrap` command that prepares every environment the app deploys to.
 *
 * @example
 * bootstrapCommand(['eu-west-1', 'eu-west-2', 'us-east-1']);
 * // 'npx cdk bootstrap aws://ACCOUNT/eu-west-1 aws://ACCOUNT/eu-west-2 aws://ACCOUNT/us-east-1'
 */
export function bootstrapCommand(regions: readonly string[], account: string = ACCOUNT_PLACEHOLDER): string {
  return ['npx cdk bootstrap', ...regions.map((region) => `aws://${account}/${region}`)].join(' ');
}
