#!/usr/bin/env node
/**
 * CDK app entry point: validates the configuration from CDK context, creates the stacks of the
 * configured profile, and runs two independent policy checks as validation plugins on the whole app:
 * cdk-nag (AwsSolutions) and cfn-guard (AWS Control Tower proactive controls, over the rule files
 * that can match the templates: see lib/nag/control-tower-guard.ts).
 */
import { App } from 'aws-cdk-lib';
import { AppConfigError, parseAppConfig } from '../lib/config/app-config';
import { addValidationPlugins } from '../lib/nag/validation-plugins';
import { addAppStacks } from '../lib/patterns-app';

const app = new App();
try {
  // Without `-c account=...`, the CLI's own account (from credentials) if any: with none, the
  // stacks are account-agnostic and synth needs neither credentials nor network.
  const parsed = parseAppConfig(
    (key) => app.node.tryGetContext(key) ?? (key === 'account' ? process.env.CDK_DEFAULT_ACCOUNT : undefined),
  );
  addAppStacks(app, parsed);
  addValidationPlugins(app);
} catch (error) {
  if (error instanceof AppConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
