/**
 * The contract between the end-to-end checks and the three places they run: the local lab, a
 * LocalStack deployment, a deployed AWS stack. A target says where the endpoints are, how to reach
 * them (signed or not), what it can prove (capabilities) and how to start and stop what it needs.
 */
import type { CapabilityReport } from '../capabilities';
import type { RegionalClient } from '../http/regional-client';
import type { ComputeTier, StickinessKind } from '../../lambdas/config/vocabulary';

export const TARGET_NAMES = ['lab', 'localstack', 'aws'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export type TierName = ComputeTier;

/** One compute tier as a client reaches it: through the load balancer, under a path prefix. */
export interface TierEndpoint {
  readonly tier: TierName;
  /** The load balancer's address (ALB URL, or the lab's HAProxy). */
  readonly baseUrl: string;
  /** Prepended to every pattern path: '' for the container tier, '/lambda' for the Lambda tier on the ALB. */
  readonly pathPrefix: string;
  /** The `tier` every instance of this tier reports in `GET /whoami`. */
  readonly expectedTierLabel: string;
}

/** One Region's multi-master writer. */
export interface RegionalEndpoint {
  readonly region: string;
  readonly url: string;
}

/** How the container tier's load balancer pins a client: its own cookie (`lb`) or the app's (`app`). */
export type StickinessMode = StickinessKind;

export interface E2eTarget {
  readonly name: TargetName;
  /** One line: what was started or read, e.g. the LocalStack version or the outputs file. */
  readonly description: string;
  readonly capabilities: CapabilityReport;
  readonly tiers: Partial<Record<TierName, TierEndpoint>>;
  /** Multi-master writers, one per Region, in a stable order (the first is where writes start). */
  readonly regions: readonly RegionalEndpoint[];
  /** Names of the cookies the load balancer itself sets (stickiness), as opposed to the app's. */
  readonly loadBalancerCookie: RegExp;
  readonly stickinessMode: StickinessMode;
  /** Turns container-tier stickiness on or off; only called when the matching capability is there. */
  setSticky(on: boolean): Promise<void>;
  /** A client of one Region's writer (signed with SigV4 where the endpoint needs it). */
  regionalClient(region: string): RegionalClient;
  /** How long replication between Regions may take before a check gives up. */
  readonly replicationTimeoutMs: number;
  /** How long one HTTP request may take (a Lambda cold start in a VPC included). */
  readonly requestTimeoutMs: number;
  /** How long one check may run before it is failed as hung. */
  readonly checkTimeoutMs: number;
  /**
   * Runs `act` with replication between Regions held back, then delivers it: concurrent writes are
   * then certain, not a race against replication. Only where the target controls replication.
   */
  holdReplication?<T>(act: () => Promise<T>): Promise<T>;
  /** Stops whatever the target started; safe to call twice. */
  close(): Promise<void>;
}

/**
 * A target that cannot be opened: an endpoint that does not answer, a missing or invalid outputs
 * file, no credentials. The runner prints its one-line message and exits with code 2.
 */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

/** Progress lines of the runner (stderr), e.g. "starting PostgreSQL". */
export type Log = (message: string) => void;
