/**
 * The LocalStack capability check: what the running emulator offers, read from its health endpoint
 * (`GET /_localstack/health`: `{ services: { <service>: "available" | "running" | "disabled" | ... },
 * edition, version }`) and info endpoint (`GET /_localstack/info`: version, edition,
 * is_license_activated), then turned into the capabilities the checks need.
 *
 * Written for LocalStack 2026.03 (the March 2026 release: one image that needs LOCALSTACK_AUTH_TOKEN;
 * Lambda and DynamoDB in the free tier, RDS, ElastiCache, ELBv2 and ECS in paid tiers).
 */
import { type CapabilityReport, type Capability, capabilityReport } from '../capabilities';
import { TargetError } from './target';

/** Service states in which LocalStack serves requests (`available` starts on first use). */
const USABLE_STATES = new Set(['available', 'running']);

export interface LocalStackStatus {
  readonly version: string;
  readonly edition: string;
  /** From /_localstack/info; undefined when that endpoint did not answer. */
  readonly licenseActivated?: boolean;
  /** Service name -> state, as the health endpoint lists them. */
  readonly services: Readonly<Record<string, string>>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses the two endpoints' JSON; throws TargetError when `health` is not LocalStack's health answer. */
export function parseLocalStackStatus(health: unknown, info?: unknown): LocalStackStatus {
  if (!isObject(health) || !isObject(health.services)) {
    throw new TargetError('GET /_localstack/health did not answer LocalStack health JSON (no "services" object): is this endpoint LocalStack?');
  }
  const services = Object.fromEntries(Object.entries(health.services).map(([name, state]) => [name, String(state)]));
  const pick = (key: string): string | undefined => {
    const value = (isObject(info) ? info[key] : undefined) ?? health[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const activated = isObject(info) ? info.is_license_activated : undefined;
  return {
    version: pick('version') ?? 'unknown version',
    edition: pick('edition') ?? 'unknown edition',
    licenseActivated: typeof activated === 'boolean' ? activated : undefined,
    services,
  };
}

/** "lambda: running" / "rds: not offered". */
function stateOf(status: LocalStackStatus, service: string): string {
  return `${service}: ${status.services[service] ?? 'not offered'}`;
}

/** What each capability needs from LocalStack, and whether profile=localstack deploys it. */
const NEEDS: Record<Capability, { readonly services: readonly string[]; readonly deployed: boolean }> = {
  'global-table': { services: ['dynamodb', 'lambda'], deployed: true },
  'multi-region-replication': { services: ['dynamodb'], deployed: true },
  fargate: { services: ['ecs', 'elbv2'], deployed: false },
  'lambda-tier': { services: ['elbv2', 'lambda'], deployed: false },
  'sticky-on': { services: ['elbv2'], deployed: false },
  'sticky-off': { services: ['elbv2'], deployed: false },
  database: { services: ['rds'], deployed: false },
  cache: { services: ['elasticache'], deployed: false },
};

export const ONE_COPY_REASON =
  'LocalStack keeps one copy of a global table for all Regions (replica Regions read and write the same table), ' +
  'so replication delay and conflicting writes cannot appear there';

/**
 * The capabilities a LocalStack deployment of profile=localstack has, each missing one with the
 * reason: a service the emulator lacks (paid tier, disabled), or a part the profile leaves out.
 *
 * @example
 * localStackCapabilities(parseLocalStackStatus(health, info))['database'];
 * // { available: false, reason: 'not deployed by profile=localstack: needs rds (paid tier; here rds: not offered)' }
 */
export function localStackCapabilities(status: LocalStackStatus): CapabilityReport {
  const missing: Partial<Record<Capability, string>> = {};
  for (const [capability, need] of Object.entries(NEEDS) as Array<[Capability, (typeof NEEDS)[Capability]]>) {
    const lacking = need.services.filter((service) => !USABLE_STATES.has(status.services[service] ?? ''));
    if (!need.deployed) {
      const here = need.services.map((service) => stateOf(status, service)).join(', ');
      missing[capability] = `not deployed by profile=localstack: needs ${need.services.join(', ')} (paid tiers; here ${here})`;
    } else if (lacking.length > 0) {
      missing[capability] = `LocalStack ${status.version} (${status.edition}) does not serve ${lacking.map((s) => stateOf(status, s)).join(', ')}`;
    }
  }
  missing['multi-region-replication'] ??= ONE_COPY_REASON;
  return capabilityReport(missing);
}

/** GET `url` as JSON within `timeoutMs`; a transport failure names its cause. */
export type FetchJson = (url: string, timeoutMs: number) => Promise<unknown>;

export const fetchJson: FetchJson = async (url, timeoutMs) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
};

function causeOf(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Asks the emulator at `endpoint` what it offers: fast (bounded by `timeoutMs`), and a TargetError
 * with one clear line when it does not answer.
 *
 * @example
 * const status = await probeLocalStack('http://localhost:4566', 3000);
 */
export async function probeLocalStack(endpoint: string, timeoutMs: number, get: FetchJson = fetchJson): Promise<LocalStackStatus> {
  const base = endpoint.replace(/\/+$/, '');
  let health: unknown;
  try {
    health = await get(`${base}/_localstack/health`, timeoutMs);
  } catch (error) {
    throw new TargetError(
      `LocalStack is not reachable at ${base} (GET /_localstack/health: ${causeOf(error, timeoutMs)}): ` +
        'start it (LOCALSTACK_AUTH_TOKEN=<token> localstack start) or set LOCALSTACK_ENDPOINT',
    );
  }
  const info = await get(`${base}/_localstack/info`, timeoutMs).catch(() => undefined);
  return parseLocalStackStatus(health, info);
}

/** "LocalStack 2026.3.0 (pro, license active): dynamodb running, lambda available, rds not offered ...". */
export function describeLocalStack(status: LocalStackStatus, endpoint: string): string {
  const license = status.licenseActivated === undefined ? '' : status.licenseActivated ? ', license active' : ', license NOT active';
  const relevant = [...new Set(Object.values(NEEDS).flatMap((need) => need.services))].sort();
  return `LocalStack ${status.version} (${status.edition}${license}) at ${endpoint}: ${relevant.map((s) => stateOf(status, s)).join(', ')}`;
}
