/**
 * Deploy-time check (a CDK trigger runs it before the Lambda tier's functions are created or
 * updated): fails the deploy with a message naming `lambdaConcurrency` when the account's Lambda
 * quota cannot hold the reservation, instead of CloudFormation's "decreases account's
 * UnreservedConcurrentExecution below its minimum value" on the first function.
 */
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { readReservationConfig } from '../config/runtime-config';
import { reservationShortfall } from '../core/concurrency-quota';

export async function handler(_event?: unknown, _context?: unknown, client: Pick<LambdaClient, 'send'> = new LambdaClient({})): Promise<{ reservable: true }> {
  // Parsed by the one engine (decimal integers), not Number(): a bad value names the variable.
  const { perFunction, functions, region } = readReservationConfig(process.env);
  const settings = await client.send(new GetAccountSettingsCommand({}));
  const message = reservationShortfall(
    { concurrentExecutions: settings.AccountLimit?.ConcurrentExecutions ?? 0 },
    { perFunction, functions, region },
  );
  if (message !== undefined) throw new Error(message);
  return { reservable: true };
}
