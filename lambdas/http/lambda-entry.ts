/**
 * Turns a pattern's HTTP app into a Lambda handler for ALB and Function URL events.
 * The app (and its clients) is built once per execution environment, starting during the INIT
 * phase; a failed build is retried on the next invocation instead of poisoning the environment.
 */
import type { Context } from 'aws-lambda';
import type { Hono } from 'hono';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { LAMBDA_PATH_PREFIX } from './pattern-paths';


type Handler = ReturnType<typeof handle>;

export function stripLambdaPrefix(event: LambdaEvent): LambdaEvent {
  if ('path' in event && typeof event.path === 'string' && !('rawPath' in event)) {
    const path = event.path;
    if (path === LAMBDA_PATH_PREFIX || path.startsWith(`${LAMBDA_PATH_PREFIX}/`)) {
      return { ...event, path: path.slice(LAMBDA_PATH_PREFIX.length) || '/' } as LambdaEvent;
    }
  }
  return event;
}

export function lambdaHandler(buildApp: () => Promise<Hono> | Hono) {
  let ready: Promise<Handler> | undefined;
  const init = (): Promise<Handler> => {
    ready ??= Promise.resolve()
      .then(buildApp)
      .then((app) => handle(app))
      .catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
    return ready;
  };
  // Start building during INIT; a failure here surfaces on the first invocation.
  init().catch(() => undefined);
  return async (event: LambdaEvent, context: Context) => (await init())(stripLambdaPrefix(event), context);
}
