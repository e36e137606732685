/**
 * The Lambda path of the sessions pattern: the real `handler` export invoked with ALB events, as
 * the load balancer would, with the signed-cookie strategy (no engine needed).
 */
import type { ALBResult } from 'aws-lambda';
import { albEvent, lambdaContext, setCookiesOf } from '../../toolkit/alb-event';

type SessionHandlerModule = typeof import('../../lambdas/handlers/sessions-handler');

const ENV_FOR_TEST: Record<string, string> = {
  PATTERN_TIER: 'lambda',
  INSTANCE_ID: 'lambda-test-1',
  SESSION_STORE: 'cookie',
  SESSION_SIGNING_KEY: 'handler-test-signing-key-0123456789abcdef',
  SESSION_TTL_SECONDS: '900',
};

describe('sessions-handler', () => {
  const saved: Record<string, string | undefined> = {};
  let invoke: (event: ReturnType<typeof albEvent>) => Promise<ALBResult>;

  beforeAll(() => {
    for (const [name, value] of Object.entries(ENV_FOR_TEST)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    // Loaded after the environment is set: the handler reads it at module load, like a cold start.
    const { handler } = require('../../lambdas/handlers/sessions-handler') as SessionHandlerModule;
    invoke = async (event) => (await handler(event, lambdaContext('sessions-handler'))) as ALBResult;
  });

  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('answers an ALB event with a JSON session and a secure Set-Cookie', async () => {
    // Act
    const result = await invoke(albEvent({ path: '/lambda/session' }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({
      'content-type': 'application/json',
      'x-served-by': 'lambda-test-1',
      'cache-control': 'no-store',
    });
    const cookies = setCookiesOf(result);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^sid=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}; Max-Age=900; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const body = JSON.parse(result.body ?? '');
    expect(body).toMatchObject({ strategy: 'cookie', instanceId: 'lambda-test-1', isNew: true, visits: 1, cart: [] });
    expect(body).not.toHaveProperty('sessionId');
  });

  it('continues the session from the cookie, with multi-value headers too', async () => {
    // Prepare
    const first = await invoke(albEvent({ path: '/lambda/session' }));
    const cookie = setCookiesOf(first)[0].split(';')[0];

    // Act
    const cart = await invoke(
      albEvent({
        method: 'POST',
        path: '/lambda/session/cart',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ sku: 'L-1', quantity: 4 }),
        multiValue: true,
      }),
    );
    const next = await invoke(
      albEvent({ path: '/lambda/session', headers: { cookie: setCookiesOf(cart)[0].split(';')[0] }, multiValue: true }),
    );

    // Assess
    expect(cart.statusCode).toBe(200);
    expect(cart.multiValueHeaders?.['set-cookie']).toHaveLength(1);
    expect(JSON.parse(next.body ?? '')).toMatchObject({ visits: 2, cart: [{ sku: 'L-1', quantity: 4 }] });
  });

  it('answers 401 and clears a tampered cookie', async () => {
    // Prepare
    const first = await invoke(albEvent({ path: '/lambda/session' }));
    const cookie = setCookiesOf(first)[0].split(';')[0];
    const at = 'sid='.length + 10; // inside the payload
    const tampered = `${cookie.slice(0, at)}${cookie[at] === 'A' ? 'B' : 'A'}${cookie.slice(at + 1)}`;

    // Act
    const result = await invoke(albEvent({ path: '/lambda/session', headers: { cookie: tampered } }));

    // Assess
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ error: 'InvalidSession' });
    expect(setCookiesOf(result)).toEqual(['sid=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax']);
  });

  it('rejects an unknown body field with 400 through the Lambda path as well', async () => {
    // Act
    const result = await invoke(
      albEvent({
        method: 'POST',
        path: '/lambda/session/cart',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku: 'L-1', quantity: 1, admin: true }),
      }),
    );

    // Assess
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ error: 'InvalidInput', issues: ['body: unknown field(s) admin'] });
  });
});
