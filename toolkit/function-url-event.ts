/**
 * The event a Lambda Function URL sends (payload format 2.0) and the HTTP response it makes of the
 * function's result: the shape the regional multi-master writers receive on AWS
 * (lib/multi-master/multi-master-regional-stack.ts), used by the local shim (harness/lambda-shim.ts).
 *
 * @example
 * const event = functionUrlEventOf({ method: 'PUT', path: '/items/a', rawQuery: '', headers: [['content-type', 'application/json']], body: '{}', isBase64Encoded: false, sourceIp: '127.0.0.1' });
 * const { status, headers, body } = functionUrlResponseOf(await handler(event, context));
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A request as the Function URL received it, before it shapes the event. */
export interface FunctionUrlRequest {
  readonly method: string;
  readonly path: string;
  /** The query string as sent, without `?` (still percent-encoded). */
  readonly rawQuery: string;
  /** Header lines in the order received, names lower-case; a name may repeat. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
  readonly sourceIp: string;
}

const DOMAIN = 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.local.on.aws';

/**
 * Payload format 2.0: repeated headers joined with commas, cookies moved out of the headers into
 * `cookies` (one entry per `name=value`), repeated query keys joined with commas.
 */
export function functionUrlEventOf(request: FunctionUrlRequest): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of request.headers) {
    if (name === 'cookie') cookies.push(...value.split(';').map((c) => c.trim()).filter((c) => c !== ''));
    else headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: request.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(request.rawQuery === '' ? {} : { queryStringParameters: queryParameters(request.rawQuery) }),
    requestContext: {
      accountId: 'anonymous',
      apiId: DOMAIN.split('.')[0],
      domainName: headers.host ?? DOMAIN,
      domainPrefix: DOMAIN.split('.')[0],
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body === null ? {} : { body: request.body }),
    isBase64Encoded: request.isBase64Encoded,
  };
}

/** Decoded query parameters; a repeated key's values joined with commas, as the Function URL does. */
function queryParameters(rawQuery: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) parameters[key] = key in parameters ? `${parameters[key]},${value}` : value;
  return parameters;
}

/** The HTTP response a Function URL makes of a structured result: status, header lines (one per cookie), body bytes. */
export function functionUrlResponseOf(result: APIGatewayProxyStructuredResultV2): { readonly status: number; readonly headers: Array<[string, string]>; readonly body: Buffer } {
  const headers: Array<[string, string]> = Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]);
  for (const cookie of result.cookies ?? []) headers.push(['set-cookie', cookie]);
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  return { status: result.statusCode ?? 200, headers, body };
}
