/**
 * A client of one compute tier through the load balancer, with its own cookie jar (the toolkit's
 * `HttpClient`): one user's browser. Paths are the patterns' paths; the tier's prefix (`/lambda` for
 * the Lambda tier on the ALB) is added here, so a check reads the same on every tier.
 *
 * @example
 * const client = new TierClient(tier, 5000);
 * await client.request('GET', '/whoami');
 */
import { HttpClient, type HttpResponse } from '../../toolkit';
import type { TierEndpoint } from '../targets/target';

export class TierClient {
  private readonly client: HttpClient;

  constructor(
    readonly tier: TierEndpoint,
    timeoutMs: number,
  ) {
    this.client = new HttpClient(tier.baseUrl, timeoutMs);
  }

  /** `headers.cookie`, when given, replaces what the jar would send (e.g. only the session cookie). */
  request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse<T>> {
    return this.client.request<T>(method, `${this.tier.pathPrefix}${path}`, body, headers);
  }

  /** Cookies currently held, by name. */
  cookies(): ReadonlyMap<string, string> {
    return this.client.cookieJar();
  }
}
