/**
 * Builds the HTTP application that both hosts serve: the Lambda handlers (through the ALB or a
 * Function URL) and the container server (Fargate, the lab). Patterns contribute routes through
 * `RegisterRoutes` functions; this module owns what is common to all of them.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { InstanceIdentity } from '../core/instance-identity';
import { errorJson, toErrorResponse } from './error-response';
import { logger } from './logger';
import { requestIdMiddleware } from './request-id';
import { MAX_BODY_BYTES } from './validation';

/**
 * A pattern's routes. `early`, when present, runs before the app's shared middleware (body limit),
 * for headers a pattern promises on every response, rejections by that middleware included.
 */
export type RegisterRoutes = ((app: Hono) => void) & { readonly early?: (app: Hono) => void };

/** Header on every response naming the instance that served it (what a client sees of the spread). */
export const SERVED_BY_HEADER = 'x-served-by';

export function createPatternApp(identity: InstanceIdentity, routes: readonly RegisterRoutes[]): Hono {
  const app = new Hono();
  app.use('*', requestIdMiddleware());
  for (const register of routes) register.early?.(app);
  app.use('*', async (c, next) => {
    identity.recordRequest();
    await next();
    c.header(SERVED_BY_HEADER, identity.instanceId);
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorJson(c, 413, 'PayloadTooLarge', `body: exceeds the limit of ${MAX_BODY_BYTES} bytes`),
    }),
  );
  for (const register of routes) register(app);
  // The path is not echoed: a response never reflects what a client put in it.
  app.notFound((c) => errorJson(c, 404, 'NotFound', `path: no route for ${c.req.method} on this path`));
  app.onError((err, c) => {
    const response = toErrorResponse(err, c, (message, error, fields) => logger.error(message, { ...fields, error }));
    response.headers.set(SERVED_BY_HEADER, identity.instanceId);
    return response;
  });
  return app;
}
