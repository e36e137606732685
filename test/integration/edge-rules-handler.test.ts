/**
 * The edge's cookie and host rules through the Lambda path: the real `handler` exports, loaded as a cold start with a
 * given environment, answering ALB events. The cookie is `Secure` exactly when the trusted
 * forwarded-proto header says https; lab-only routes exist only with PATTERN_LAB_MODE=1.
 */
import { albEvent, setCookiesOf } from '../../toolkit/alb-event';
import { coldStart, type Invoke } from '../fixtures/cold-start';

const SESSION_ENV = {
  PATTERN_TIER: 'lambda',
  INSTANCE_ID: 'lambda-edge-1',
  SESSION_STORE: 'cookie',
  SESSION_SIGNING_KEY: 'edge-rules-test-signing-key-0123456789abcdef',
};

describe('sessions-handler cookie rules', () => {
  let invoke: Invoke;

  beforeAll(async () => {
    invoke = await coldStart('../../lambdas/handlers/sessions-handler', { ...SESSION_ENV, FORWARDED_PROTO_HEADER: 'x-forwarded-proto' });
  });

  it('sets a Secure cookie when the ALB says the client used https', async () => {
    // Act
    const result = await invoke(albEvent({ path: '/lambda/session', headers: { 'x-forwarded-proto': 'https' } }));

    // Assess
    expect(setCookiesOf(result)[0]).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('leaves Secure off when the ALB says http, so that a browser on a plain HTTP listener keeps it', async () => {
    // Act
    const result = await invoke(albEvent({ path: '/lambda/session', headers: { 'x-forwarded-proto': 'http' } }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(setCookiesOf(result)[0]).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(JSON.parse(result.body ?? '')).not.toHaveProperty('sessionId');
  });

  it('answers 404 on /session/stats when not in the lab', async () => {
    // Act
    const result = await invoke(albEvent({ path: '/lambda/session/stats' }));

    // Assess
    expect(result.statusCode).toBe(404);
  });
});

describe('reverse-proxy-handler lab-only routes', () => {
  it('answers 404 on /work in a deployed function (no PATTERN_LAB_MODE)', async () => {
    // Prepare
    const invoke = await coldStart('../../lambdas/handlers/reverse-proxy-handler', { PATTERN_TIER: 'lambda', INSTANCE_ID: 'lambda-who-1' });

    // Act
    const work = await invoke(albEvent({ path: '/lambda/work', query: { cpuMs: '100' } }));
    const whoami = await invoke(albEvent({ path: '/lambda/whoami' }));

    // Assess
    expect(work.statusCode).toBe(404);
    expect(whoami.statusCode).toBe(200);
  });

  it('serves /work with PATTERN_LAB_MODE=1', async () => {
    // Prepare
    const invoke = await coldStart('../../lambdas/handlers/reverse-proxy-handler', {
      PATTERN_TIER: 'lambda',
      INSTANCE_ID: 'lambda-who-2',
      PATTERN_LAB_MODE: '1',
    });

    // Act
    const work = await invoke(albEvent({ path: '/lambda/work', query: { ioMs: '1' } }));

    // Assess
    expect(work.statusCode).toBe(200);
    expect(JSON.parse(work.body ?? '')).toMatchObject({ instanceId: 'lambda-who-2' });
  });
});
