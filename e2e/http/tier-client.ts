/**
 * A client of one compute tier through the load balancer, with its own cookie jar (the lab's
 * `LabClient`): one user's browser. Paths are the patterns' paths; the tier's prefix (`/lambda` for
 * the Lambda tier on the ALB) is added here, so a check reads the same on every tier.
 *
 * @example
 * const client = new TierClient(tier, 5000);
 * await client.request('GET', '/whoami');
 */
import { LabClient, type LabResponse } from '../../lab/lab-client';
import type { TierEndpoint } from '../targets/target';

export class TierClient {
  private readonly client: LabClient;

  constructor(
    readonly tier: TierEndpoint,
    timeoutMs: number,
  ) {
    this.client = new LabClient(tier.baseUrl, timeoutMs);
  }

  /** `headers.cookie`, when given, replaces what the jar would send (e.g. only the session cookie). */
  request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<LabResponse<T>> {
    return this.client.request<T>(method, `${this.tier.pathPrefix}${path}`, body, headers);
  }

  /** Cookies currently held, by name. */
  cookies(): ReadonlyMap<string, string> {
    return this.client.cookieJar();
  }
}
