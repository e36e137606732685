import type { Hono } from 'hono';
import type { InstanceIdentity } from '../core/instance-identity';

/** `GET /whoami`: which instance, tier and region served this request; `GET /healthz` for target health. */
export function identityRoutes(identity: InstanceIdentity) {
  return (app: Hono): void => {
    app.get('/whoami', (c) => c.json(identity.describe()));
    app.get('/healthz', (c) => c.json({ status: 'ok', instanceId: identity.instanceId }));
  };
}
