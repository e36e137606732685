/**
 * Target selection: opens the target the command line names, with its settings from the
 * environment (LOCALSTACK_ENDPOINT or AWS_ENDPOINT_URL, AWS credentials) and the app's Regions from
 * cdk.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRegions, parseAppConfig } from '../../lib/config/app-config';
import type { E2eOptions } from '../cli';
import { openAwsTarget } from './aws';
import { startLabTarget } from './lab';
import { DEFAULT_LOCALSTACK_ENDPOINT, openLocalStackTarget } from './localstack';
import type { E2eTarget, Log } from './target';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The LocalStack gateway: LOCALSTACK_ENDPOINT, else AWS_ENDPOINT_URL, else http://localhost:4566. */
export function localStackEndpoint(env: NodeJS.ProcessEnv): string {
  const given = env.LOCALSTACK_ENDPOINT?.trim() || env.AWS_ENDPOINT_URL?.trim();
  return (given || DEFAULT_LOCALSTACK_ENDPOINT).replace(/\/+$/, '');
}

/** Every Region of the app as cdk.json configures it (the Regions `cdklocal bootstrap` needs). */
function appRegions(): string[] {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return allRegions(parseAppConfig((key) => cdkJson.context[key]).config);
}

/**
 * Opens (for the lab: starts) the target; a TargetError when it cannot be reached.
 *
 * @example
 * const target = await openTarget(parseE2eArgs(argv, ids), process.env, console.error);
 */
export function openTarget(options: E2eOptions, env: NodeJS.ProcessEnv, log: Log): Promise<E2eTarget> {
  switch (options.target) {
    case 'lab':
      return startLabTarget(log);
    case 'aws':
      return openAwsTarget({ outputsFile: options.outputsFile! }, log);
    case 'localstack':
      return openLocalStackTarget(
        {
          endpoint: localStackEndpoint(env),
          outputsFile: options.outputsFile!,
          deploy: options.deploy,
          regions: appRegions(),
          credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID || 'test', secretAccessKey: env.AWS_SECRET_ACCESS_KEY || 'test' },
        },
        log,
      );
  }
}
