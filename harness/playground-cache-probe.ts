/**
 * Whether the app instances can use Redis again after a restart: each instance's client reconnects
 * with a backoff of up to 1 s, so "the server is up" comes before "the app uses it". The probe is a
 * profile the playground writes at start; an instance uses Redis when its read of it is a hit or a
 * miss, not a bypass.
 *
 * @example
 * await writeProbeProfile(fargate.instances()[0]);
 * await redis.restart();
 * await untilInstancesUseRedis([...fargate.instances(), ...lambda.instances()]);
 */
import type { AppInstance } from './app-instances';
import { httpGet } from './http-probe';
import { pollUntil } from './ports';

const PROBE_PROFILE = 'playground-probe';
const RECONNECT_TIMEOUT_MS = 10_000;

/** Writes the probe profile through `instance` (PostgreSQL; Redis is only invalidated). */
export async function writeProbeProfile(instance: AppInstance): Promise<void> {
  const probe = await fetch(`${instance.url}/profiles/${PROBE_PROFILE}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'playground probe', email: 'probe@playground.invalid' }),
  });
  if (!probe.ok) throw new Error(`the probe profile could not be written: HTTP ${probe.status} ${await probe.text()}`);
}

/** Waits until every running instance reads the probe through Redis; a killed one (connection refused) is not waited for. */
export async function untilInstancesUseRedis(instances: ReadonlyArray<Pick<AppInstance, 'url'>>): Promise<void> {
  const usesRedis = (i: Pick<AppInstance, 'url'>) =>
    httpGet(`${i.url}/profiles/${PROBE_PROFILE}`, {}, 1000).then(
      (r) => r.status === 200 && (JSON.parse(r.body) as { cache?: string }).cache !== 'bypass',
      (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
    );
  await pollUntil(async () => (await Promise.all(instances.map(usesRedis))).every(Boolean), RECONNECT_TIMEOUT_MS, 'the app instances did not reconnect to Redis', 50);
}
