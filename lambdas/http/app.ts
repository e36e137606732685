/**
 * Builds the HTTP application that both hosts serve: the Lambda handlers (through the ALB or a
 * Function URL) and the container server (Fargate, the lab). Patterns contribute routes through
 * `RegisterRoutes` functions; this module owns what is common to all of them.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { InstanceIdentity } from '../core/instance-identity';
import { errorBody, toErrorResponse } from './error-response';
import { logger } from './logger';
import { MAX_BODY_BYTES } from './validation';

export type RegisterRoutes = (app: Hono) => void;

/** Header on every response naming the instance that served it (what a client sees of the spread). */
export const SERVED_BY_HEADER = 'x-served-by';

export function createPatternApp(identity: InstanceIdentity, routes: readonly RegisterRoutes[]): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    identity.recordRequest();
    await next();
    c.header(SERVED_BY_HEADER, identity.instanceId);
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json(errorBody('PayloadTooLarge', `Request body exceeds ${MAX_BODY_BYTES} bytes`), 413),
    }),
  );
  for (const register of routes) register(app);
  app.notFound((c) => c.json(errorBody('NotFound', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => {
    const response = toErrorResponse(err, c, (message, error) => logger.error(message, { error }));
    response.headers.set(SERVED_BY_HEADER, identity.instanceId);
    return response;
  });
  return app;
}
