/**
 * HTTP face of the replication-lag probe: `GET /replication/lag` answers, per replica, the lag in
 * bytes and in time, the receive and replay positions, and whether it answered at all. Always 200:
 * a node that is down is part of the answer (`reachable: false`), not a failure of the probe.
 *
 * @example
 * createPatternApp(identity, [replicationLagRoutes({ probe: () => probeReplicationLag(wal) })]);
 */
import type { Hono } from 'hono';
import { replicationLagToJson, type ReplicationLagReport } from '../core/replication-lag';
import type { RegisterRoutes } from './app';

export interface ReplicationLagRoutesDeps {
  /** One fresh probe of every node (never cached: this is the measuring instrument). */
  probe(): Promise<ReplicationLagReport>;
}

export function replicationLagRoutes(deps: ReplicationLagRoutesDeps): RegisterRoutes {
  return (app: Hono): void => {
    app.get('/replication/lag', async (c) => {
      const report = await deps.probe();
      c.header('Cache-Control', 'no-store');
      return c.json({ measuredAt: new Date().toISOString(), ...replicationLagToJson(report) });
    });
  };
}
