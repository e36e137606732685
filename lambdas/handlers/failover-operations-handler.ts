/**
 * Lambda entry point of the failover operations. Invoked directly (`aws lambda invoke`, a runbook,
 * a test), never through the ALB or a Function URL: promoting a replica is not a public action.
 *
 * Events: `{"action":"describe"}`, `{"action":"promote","replicaId":"..."}`, `{"action":"reboot-failover"}`.
 * The result is always an object: `{ ok: true, action, ... }` or `{ ok: false, error, message }`.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { ConfigurationError, readRdsOperationsConfig } from '../config/runtime-config';
import { PatternError } from '../core/errors';
import {
  FAILOVER_ACTIONS,
  runFailoverAction,
  type FailoverAction,
  type FailoverActionResult,
  type FailoverOperations,
} from '../core/failover-operations';
import { logger, logLambdaContext } from '../observability/logger';
import { buildFailoverOperations } from '../wiring/failover-operations-wiring';

/** RDS DB instance identifier rules: 1-63 letters, digits or hyphens, a letter first, no `--`, no trailing `-`. */
const rdsInstanceIdSchema = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$/,
      'expected an RDS instance identifier (1-63 letters, digits or hyphens, starting with a letter)',
    ),
  );

export const failoverEventSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('describe') }),
  z.strictObject({ action: z.literal('promote'), replicaId: rdsInstanceIdSchema }),
  z.strictObject({ action: z.literal('reboot-failover') }),
]);

export type FailoverHandlerResult =
  | ({ readonly ok: true } & FailoverActionResult)
  | { readonly ok: false; readonly error: string; readonly message: string; readonly issues?: readonly string[] };

function describeEventIssues(event: unknown, error: z.core.$ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(event)';
    if (issue.code === 'invalid_union' && issue.path.join('.') === 'action') {
      const given = (event as { action?: unknown }).action;
      const what = given === undefined ? 'missing' : `${JSON.stringify(given)} is unknown`;
      return `action: ${what}, expected one of ${FAILOVER_ACTIONS.join(', ')}`;
    }
    if (issue.code === 'unrecognized_keys') return `${where}: unknown field(s) ${issue.keys.join(', ')}`;
    if (issue.code === 'invalid_type') return `${where}: expected ${issue.expected}`;
    return `${where}: ${issue.message}`;
  });
}

function failure(request: FailoverAction, error: unknown): FailoverHandlerResult {
  if (error instanceof PatternError) {
    logger.warn('failover action refused', { request, code: error.code, reason: error.message });
    return { ok: false, error: error.code, message: error.message };
  }
  // This function holds no secrets, and its invokers are operators: they need to see what is misconfigured.
  if (error instanceof ConfigurationError) {
    logger.error('configuration error', { error });
    return { ok: false, error: 'Misconfigured', message: error.message };
  }
  logger.error('failover action crashed', { request, error: error as Error });
  return { ok: false, error: 'InternalError', message: 'Internal error; see the function logs' };
}

/**
 * Builds the handler around a way to build the operations (once per execution environment; a
 * failed build is retried on the next invocation).
 *
 * @example
 * const invoke = failoverOperationsHandler(() => buildFailoverOperations(env));
 * await invoke({ action: 'describe' }); // { ok: true, action: 'describe', topology: {...} }
 */
export function failoverOperationsHandler(build: () => FailoverOperations) {
  let operations: FailoverOperations | undefined;
  return async (event: unknown, context?: Context): Promise<FailoverHandlerResult> => {
    logLambdaContext(context);
    const parsed = z.safeParse(failoverEventSchema, event);
    if (!parsed.success) {
      const issues = describeEventIssues(event, parsed.error);
      return { ok: false, error: 'InvalidInput', message: `Invalid event: ${issues.join('; ')}`, issues };
    }
    const request: FailoverAction = parsed.data;
    try {
      operations ??= build();
      const result = await runFailoverAction(operations, request);
      logger.info('failover action done', { request, result });
      return { ok: true, ...result };
    } catch (error) {
      return failure(request, error);
    }
  };
}

// The section is parsed inside the build, so that a misconfiguration is the invocation's answer (Misconfigured), not a failed INIT.
export const handler = failoverOperationsHandler(() => buildFailoverOperations(readRdsOperationsConfig(process.env)));
