/**
 * One structured logger per process (Powertools: JSON lines, level from POWERTOOLS_LOG_LEVEL).
 * Both hosts stamp the same fields: `tier` and `instanceId` on every line (`logHost`), `requestId`
 * on every line about a request; a Lambda invocation adds the Lambda context (`logLambdaContext`:
 * `function_request_id`, `cold_start`, `function_name`...), which the container has no equivalent of.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

export const logger = new Logger({ serviceName: 'scalability-patterns' });

/** Names the host on every later line (the same keys on Lambda and in the container). */
export function logHost(host: { readonly tier: string; readonly instanceId: string }): void {
  logger.appendPersistentKeys({ tier: host.tier, instanceId: host.instanceId });
}

/** Call first thing in every Lambda invocation: the lines it logs carry its request id and cold start. */
export function logLambdaContext(context: Context | undefined): void {
  // A direct invocation without a context (a test calling the export) still logs, only without it.
  if (context !== undefined) logger.addContext(context);
}
