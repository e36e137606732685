import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ControlTowerGuardValidator } from './control-tower-guard';

/**
 * The two policy checks the app runs as validation plugins: cdk-nag (AwsSolutions) and cfn-guard
 * (AWS Control Tower proactive controls, over the rule files that can match the templates: see
 * control-tower-guard.ts). Both write into the assembly's `validation-report.json`,
 * and the CLI fails `cdk synth` and `cdk deploy` when a plugin's conclusion there is `failure`, a
 * cdk-nag warning included. `bin/app.ts` and the configuration-matrix test add them the same way.
 */
export function addValidationPlugins(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ControlTowerGuardValidator());
}
