import { ManualClock, systemClock } from '../../lambdas/core/clock';
import { logger } from '../../lambdas/observability/logger';
import { bodyOf, cookieOf, postCart, startSessionInstance } from '../fixtures/sessions-app';

const SIGNING_KEY = 'unit-test-signing-key-0123456789abcdef';

async function buildApp(env: Record<string, string>, instanceId = 'unit-a', clock = systemClock) {
  return (await startSessionInstance(env, instanceId, clock)).app;
}

describe('sessionRoutes', () => {
  it('counts visits with the memory strategy and names strategy, instance and visitor tag, never the id', async () => {
    // Prepare
    const app = await buildApp({ SESSION_STORE: 'memory' });

    // Act
    const first = await app.request('/session');
    const firstText = await first.text();
    const second = await app.request('/session', { headers: { cookie: cookieOf(first) } });

    // Assess
    expect(first.status).toBe(200);
    expect(first.headers.get('set-cookie')).toMatch(/^sid=[A-Za-z0-9_-]{22}; Max-Age=1800; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const body = await bodyOf(second);
    expect(body).toMatchObject({ strategy: 'memory', instanceId: 'unit-a', isNew: false, visits: 2, servedBy: ['unit-a'] });
    expect(body.visitorTag).toBe(JSON.parse(firstText).visitorTag);
    expect(body).not.toHaveProperty('sessionId');
    expect(firstText).not.toContain(cookieOf(first).slice('sid='.length));
    expect(second.headers.get('x-served-by')).toBe('unit-a');
  });

  it.each([
    ['plain HTTP, no proxy trusted', {}, 'http://patterns.example/session', {}, false],
    ['direct HTTPS, no proxy trusted', {}, 'https://patterns.example/session', {}, true],
    ['a client-sent x-forwarded-proto when no proxy is trusted', {}, 'http://patterns.example/session', { 'x-forwarded-proto': 'https' }, false],
    ['the trusted proxy says https', { FORWARDED_PROTO_HEADER: 'x-forwarded-proto' }, 'http://patterns.example/session', { 'x-forwarded-proto': 'https' }, true],
    ['the trusted proxy says http', { FORWARDED_PROTO_HEADER: 'x-forwarded-proto' }, 'http://patterns.example/session', { 'x-forwarded-proto': 'http' }, false],
    ['another header than the trusted one', { FORWARDED_PROTO_HEADER: 'cloudfront-forwarded-proto' }, 'http://patterns.example/session', { 'x-forwarded-proto': 'https' }, false],
  ])('marks the session cookie Secure only when the request reached the edge over HTTPS: %s', async (_name, env, url, headers, secure) => {
    // Prepare
    const app = await buildApp({ SESSION_STORE: 'memory', ...env });

    // Act
    const response = await app.request(url, { headers });

    // Assess
    const line = response.headers.get('set-cookie') ?? '';
    expect(line).toMatch(/; Path=\/; HttpOnly;( Secure;)? SameSite=Lax$/);
    expect(line.includes('; Secure;')).toBe(secure);
  });

  it('mounts GET /session/stats only in lab mode', async () => {
    // Prepare
    const deployed = await buildApp({ SESSION_STORE: 'memory' });
    const lab = await buildApp({ SESSION_STORE: 'memory', PATTERN_LAB_MODE: '1' });

    // Act
    const hidden = await deployed.request('/session/stats');
    const shown = await lab.request('/session/stats');

    // Assess
    expect(hidden.status).toBe(404);
    expect(await bodyOf(hidden)).not.toHaveProperty('heapUsedBytes');
    expect(shown.status).toBe(200);
  });

  it('uses the ALB application-cookie name when STICKY_APP_COOKIE_NAME is set', async () => {
    // Prepare
    const app = await buildApp({ SESSION_STORE: 'memory', STICKY_APP_COOKIE_NAME: 'APPSESSION' });

    // Act
    const response = await app.request('/session');

    // Assess
    expect(response.headers.get('set-cookie')).toMatch(/^APPSESSION=[A-Za-z0-9_-]{22};/);
  });

  it('ignores a malformed session id cookie and starts a new session', async () => {
    // Prepare
    const app = await buildApp({ SESSION_STORE: 'memory' });

    // Act
    const response = await app.request('/session', { headers: { cookie: 'sid=../../etc/passwd' } });

    // Assess
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toMatchObject({ isNew: true, visits: 1 });
  });

  it('adds to the cart and rejects bodies with unknown fields, wrong types or bad skus (400) or not JSON (415)', async () => {
    // Prepare
    const app = await buildApp({ SESSION_STORE: 'memory' });
    const cookie = cookieOf(await app.request('/session'));

    // Act
    const added = await postCart(app, cookie, { sku: 'A-1', quantity: 2 });
    const unknownField = await postCart(app, cookie, { sku: 'A-1', quantity: 2, price: 1 });
    const badSku = await postCart(app, cookie, { sku: 'A_1!', quantity: 2 });
    const badQuantity = await postCart(app, cookie, { sku: 'A-1', quantity: 100 });
    const fractional = await postCart(app, cookie, { sku: 'A-1', quantity: 1.5 });
    const notJson = await postCart(app, cookie, 'sku=A-1', 'application/x-www-form-urlencoded');

    // Assess
    expect(added.status).toBe(200);
    expect(await bodyOf(added)).toMatchObject({ cart: [{ sku: 'A-1', quantity: 2 }], visits: 1 });
    expect(unknownField.status).toBe(400);
    expect((await bodyOf(unknownField)).issues).toEqual(['body: unknown field(s) price']);
    expect(badSku.status).toBe(400);
    expect((await bodyOf(badSku)).issues).toEqual(['body.sku: expected 1-32 characters of A-Z a-z 0-9 -']);
    expect(badQuantity.status).toBe(400);
    expect((await bodyOf(badQuantity)).issues).toEqual(['body.quantity: must be at most 99']);
    expect((await bodyOf(fractional)).issues).toEqual(['body.quantity: expected an integer']);
    expect(notJson.status).toBe(415);
  });

  it('ends the session: clears the cookie and forgets the server-side state', async () => {
    // Prepare
    const app = await buildApp({ SESSION_STORE: 'memory' });
    const cookie = cookieOf(await app.request('/session'));

    // Act
    const ended = await app.request('/session', { method: 'DELETE', headers: { cookie } });
    const after = await app.request('/session', { headers: { cookie } });

    // Assess
    expect(ended.status).toBe(200);
    expect(await bodyOf(ended)).toEqual({ strategy: 'memory', instanceId: 'unit-a', ended: true });
    expect(ended.headers.get('set-cookie')).toBe('sid=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax');
    expect(await bodyOf(after)).toMatchObject({ isNew: true, visits: 1 });
  });

  it('reports sessions held and their bytes for the memory strategy', async () => {
    // Prepare
    const app = await buildApp({ SESSION_STORE: 'memory', PATTERN_LAB_MODE: '1' });
    await app.request('/session');
    await app.request('/session');

    // Act
    const stats = await bodyOf(await app.request('/session/stats'));

    // Assess
    expect(stats).toMatchObject({ strategy: 'memory', instanceId: 'unit-a', held: { sessions: 2 } });
    expect(stats.held.approxBytes).toBeGreaterThan(0);
    expect(stats.heapUsedBytes).toBeGreaterThan(0);
  });

  it('answers 503 when the memory limit is reached, while existing sessions keep working', async () => {
    // Prepare
    const app = await buildApp({ SESSION_STORE: 'memory', MEMORY_SESSION_LIMIT: '1' });
    const cookie = cookieOf(await app.request('/session'));
    const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

    // Act
    const refused = await app.request('/session');
    const existing = await app.request('/session', { headers: { cookie } });

    // Assess
    expect(refused.status).toBe(503);
    expect(refused.headers.get('x-session-strategy')).toBe('memory');
    expect(await bodyOf(refused)).toMatchObject({ error: 'EngineUnavailable', engine: 'memory-session-store' });
    expect(existing.status).toBe(200);
    expect(logged).toHaveBeenCalledWith('engine unavailable', expect.anything());
    logged.mockRestore();
  });

  it('rejects an expired signed cookie with 401 and a Set-Cookie that clears it', async () => {
    // Prepare
    const clock = new ManualClock();
    const env = { SESSION_STORE: 'cookie', SESSION_SIGNING_KEY: SIGNING_KEY, SESSION_TTL_SECONDS: '60' };
    const app = await buildApp(env, 'unit-a', clock);
    const cookie = cookieOf(await app.request('https://patterns.example/session'));
    clock.advance(60_000);

    // Act
    const response = await app.request('https://patterns.example/session', { headers: { cookie } });

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers.get('x-session-strategy')).toBe('cookie');
    expect(await bodyOf(response)).toMatchObject({
      error: 'InvalidSession',
      message: expect.stringMatching(/^Session cookie expired at /),
    });
    expect(response.headers.get('set-cookie')).toBe('sid=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax');
  });

  it('answers 413 without a Set-Cookie when the signed cookie would outgrow 4096 bytes', async () => {
    // Prepare: five Lambda-named instances serve one cookie session whose cart fills up.
    const apps = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        buildApp({ SESSION_STORE: 'cookie', SESSION_SIGNING_KEY: SIGNING_KEY }, `lambda-0000000${i}`),
      ),
    );
    let cookie: string | undefined;
    let refused: Response | undefined;

    // Act
    for (let i = 0; i < 50 && refused === undefined; i += 1) {
      const sku = `SKU-${'X'.repeat(24)}-${String(i).padStart(3, '0')}`;
      const response = await postCart(apps[i % apps.length], cookie, { sku, quantity: 99 });
      if (response.status === 200) cookie = cookieOf(response);
      else refused = response;
    }

    // Assess
    expect(refused?.status).toBe(413);
    expect(refused?.headers.get('set-cookie')).toBeNull();
    expect(await bodyOf(refused as Response)).toMatchObject({
      error: 'PayloadTooLarge',
      message: expect.stringMatching(/^Session cookie would be 4\d{3} bytes \(name \+ value \+ attributes\), over the 4096-byte limit/),
    });
  });
});

describe('buildSessionRoutes', () => {
  it('refuses a signing key shorter than 32 bytes, naming the variable but not the key', async () => {
    // Act
    const build = buildApp({ SESSION_STORE: 'cookie', SESSION_SIGNING_KEY: 'too-short-secret' });

    // Assess
    await expect(build).rejects.toThrow(
      'Invalid runtime configuration:\n - SESSION_SIGNING_KEY: a session signing key must be at least 32 bytes, got 16 bytes',
    );
  });
});
