/**
 * Turns a pattern's HTTP app into a Lambda handler for ALB and Function URL events.
 * The app (and its clients) is built once per execution environment, starting during the INIT
 * phase; a failed build is retried on the next invocation instead of poisoning the environment.
 */
import type { Context } from 'aws-lambda';
import type { Hono } from 'hono';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { errorBody } from './error-response';
import { logLambdaContext } from '../observability/logger';
import { requestLogger } from '../observability/request-logger';
import { LAMBDA_PATH_PREFIX } from './pattern-paths';
import { once } from '../core/once';
import { chooseRequestId, REQUEST_ID_HEADER } from './request-id';


type Handler = ReturnType<typeof handle>;

/** A Host header that is only a host name and an optional port; anything else could move the URL's path. */
const PLAIN_HOST = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/;
/** Stands in for a Host header that is not a plain host (it is never routed on, only needed for a URL). */
export const UNROUTABLE_HOST = 'host.invalid';

function isPlainHost(host: string): boolean {
  if (!PLAIN_HOST.test(host)) return false;
  try {
    return new URL(`https://${host}/`).pathname === '/'; // e.g. refuses port 99999
  } catch {
    return false;
  }
}

/**
 * An event the adapter could not turn into a Request (the app itself never throws: its errors
 * are mapped): a 400 in the common error shape, not a failed invocation the ALB reports as a 502.
 */
function unparsableEvent(event: LambdaEvent, requestId: string) {
  const headers = { 'content-type': 'application/json', [REQUEST_ID_HEADER]: requestId };
  const body = JSON.stringify(errorBody('BadRequest', 'request: the path, query or headers cannot be parsed', { requestId }));
  const multi = 'multiValueHeaders' in event && event.multiValueHeaders !== undefined;
  return {
    statusCode: 400,
    statusDescription: '400 Bad Request',
    ...(multi ? { multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) } : { headers }),
    body,
    isBase64Encoded: false,
  };
}

/**
 * The adapter builds the request URL as `https://<Host header><path>`: a Host carrying a path,
 * user info or a query would change the routed path. The routed path must depend on the event's
 * path alone, so such a Host is replaced (the ALB itself routed on the real path).
 */
export function pinRoutingHost(event: LambdaEvent): LambdaEvent {
  const record = event as { headers?: Record<string, string | undefined>; multiValueHeaders?: Record<string, string[] | undefined> };
  const single = record.headers?.host;
  const multi = record.multiValueHeaders?.host;
  const badSingle = single !== undefined && !isPlainHost(single);
  const badMulti = multi !== undefined && (multi.length !== 1 || !isPlainHost(multi[0]));
  if (!badSingle && !badMulti) return withoutBodyOnRead(event);
  return withoutBodyOnRead({
    ...event,
    ...(record.headers === undefined ? {} : { headers: { ...record.headers, host: UNROUTABLE_HOST } }),
    ...(record.multiValueHeaders === undefined ? {} : { multiValueHeaders: { ...record.multiValueHeaders, host: [UNROUTABLE_HOST] } }),
  } as LambdaEvent);
}

/**
 * A GET or HEAD body means nothing in HTTP and a Request cannot carry one: it is dropped, not a 500.
 * The method is `httpMethod` in an ALB event and `requestContext.http.method` in a Function URL's
 * (payload 2.0: the regional writers).
 */
function withoutBodyOnRead(event: LambdaEvent): LambdaEvent {
  const { httpMethod, requestContext, body } = event as { httpMethod?: string; requestContext?: { http?: { method?: string } }; body?: string | null };
  const method = httpMethod ?? requestContext?.http?.method;
  const reading = method === 'GET' || method === 'HEAD';
  return reading && body !== undefined && body !== null && body !== '' ? ({ ...event, body: null } as LambdaEvent) : event;
}

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
  const init = once(async (): Promise<Handler> => handle(await buildApp()));
  // Start building during INIT; a failure here surfaces on the first invocation.
  init().catch(() => undefined);
  return async (event: LambdaEvent, context: Context) => {
    logLambdaContext(context);
    const handleEvent = await init();
    try {
      return await handleEvent(pinRoutingHost(stripLambdaPrefix(event)), context);
    } catch (error) {
      // No app context exists for such an event: its id is chosen here, for the log line and the answer alike.
      const log = requestLogger(chooseRequestId(undefined));
      log.warn('event could not be parsed into a request', { error: error as Error });
      return unparsableEvent(event, log.requestId);
    }
  };
}
