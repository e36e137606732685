/**
 * LAB COMPONENT (never deployed): a DynamoDB-protocol HTTP proxy for one region, in front of that
 * region's dynalite. The app's DynamoDB endpoint points here; every request is forwarded byte
 * for byte (headers included, so a signature stays valid), and the replicator hooks in to see
 * writes. It listens on 127.0.0.1 and forwards only to the local upstream it was given.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: http.OutgoingHttpHeaders;
  readonly body: Buffer;
}

/** One request as the replicator sees it. */
export interface ProxiedRequest {
  readonly region: string;
  /** The DynamoDB operation from `X-Amz-Target` (`PutItem`, `Query`...); '' when absent. */
  readonly operation: string;
  /** The JSON body, or undefined when it is not a JSON object. */
  readonly input: Record<string, unknown> | undefined;
  /** Sends the request unchanged to this region's dynalite and returns its answer. */
  forward(): Promise<UpstreamResponse>;
}

export type ProxyHandler = (request: ProxiedRequest) => Promise<UpstreamResponse>;

export interface DynamoRegionProxy {
  readonly region: string;
  /** `http://127.0.0.1:<port>`: what the app uses as its DynamoDB endpoint. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/** A DynamoDB JSON error response, as the service sends it (the SDK reads `__type`). */
export function dynamoErrorResponse(status: number, type: string, message: string): UpstreamResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type.split('#').pop() },
    body: Buffer.from(JSON.stringify({ __type: type, message })),
  };
}

/** The region a SigV4 `Authorization` header is scoped to (`Credential=AKID/date/REGION/service/aws4_request`). */
export function signedRegion(authorization: string | undefined): string | undefined {
  return /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/[^/,\s]+\/aws4_request/.exec(authorization ?? '')?.[1];
}

/**
 * Starts the proxy for `region` on a kernel-chosen port of 127.0.0.1. A request signed for
 * another region is refused as DynamoDB does (a client pointed at the wrong region's endpoint);
 * when the upstream is down, the client connection is dropped, as an unreachable endpoint would.
 *
 * @example
 * const proxy = await startDynamoRegionProxy('us-east-1', 'http://127.0.0.1:4567', (req) => req.forward());
 */
export async function startDynamoRegionProxy(
  region: string,
  upstreamEndpoint: string,
  handler: ProxyHandler,
): Promise<DynamoRegionProxy> {
  const upstream = new URL(upstreamEndpoint);
  if (upstream.protocol !== 'http:' || upstream.hostname !== '127.0.0.1') {
    throw new Error(`startDynamoRegionProxy: upstream ${upstreamEndpoint} must be http://127.0.0.1:<port>`);
  }
  const agent = new http.Agent({ keepAlive: true });

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<UpstreamResponse> =>
    new Promise((resolve, reject) => {
      const out = http.request(
        {
          host: '127.0.0.1',
          port: Number(upstream.port),
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const signed = signedRegion(req.headers.authorization);
      const answer =
        signed !== undefined && signed !== region
          ? Promise.resolve(
              dynamoErrorResponse(
                400,
                'com.amazon.coral.service#InvalidSignatureException',
                `Credential should be scoped to correct region: '${region}' (request signed for '${signed}')`,
              ),
            )
          : handler({
              region,
              operation: String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '',
              input: parseObject(body),
              forward: () => forward(req, body),
            });
      answer.then(
        (response) => {
          const headers = { ...response.headers, 'content-length': String(response.body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(response.status, headers);
          res.end(response.body);
        },
        // Upstream unreachable (or a replicator bug): behave like a dead endpoint.
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    region,
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}

export interface KeyAttributes {
  readonly partitionKey: string;
  readonly sortKey?: string;
}

/**
 * The primary key a PutItem (from `Item`) or UpdateItem/DeleteItem (from `Key`) request addresses,
 * converted from the wire JSON to the SDK's shape; undefined when absent or malformed (dynalite
 * then answers the validation error itself).
 */
export function primaryKeyOf(
  operation: string,
  input: Record<string, unknown>,
  keyAttributes: KeyAttributes,
): Record<string, AttributeValue> | undefined {
  type WireKey = Record<string, Record<string, unknown>> | undefined;
  const source = (operation === 'PutItem' ? input.Item : input.Key) as WireKey;
  const { partitionKey, sortKey } = keyAttributes;
  const key: Record<string, AttributeValue> = {};
  for (const name of sortKey === undefined ? [partitionKey] : [partitionKey, sortKey]) {
    const value = source?.[name];
    if (typeof value?.S === 'string') key[name] = { S: value.S };
    else if (typeof value?.N === 'string') key[name] = { N: value.N };
    else if (typeof value?.B === 'string') key[name] = { B: Buffer.from(value.B, 'base64') };
    else return undefined;
  }
  return key;
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    return isObject ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
