/**
 * Cookie sessions as a user's browser sees them: Debian's Chromium opens the lab's HAProxy at a non-local
 * host name, over plain HTTP (as the default deploy's ALB without a certificate) and over HTTPS
 * (self-signed, as CloudFront or an HTTPS listener). For each session strategy, ten page loads
 * and an add-to-cart must keep one session, with the cookie attributes the origin allows; then
 * killing an instance loses the memory sessions on it and keeps the Redis and cookie ones.
 * Prints the table of what it saw (origin x strategy) for the closing note.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import { startAppInstances, startRedis, type AppInstance, type RedisEngine } from '../../harness';
import { ENV } from '../../lambdas/config/env-names';
import {
  addToCart,
  formatTable,
  instancesLine,
  LAB_HOST,
  launchChromium,
  loadSessionPage,
  sessionCookieAttributes,
  startStrategyStack,
  stopStrategyStack,
  type SessionSeen,
  type Strategy,
  type StrategyStack,
} from './lab-browser';

const STRATEGIES: readonly Strategy[] = ['memory', 'redis', 'cookie'];
const ORIGINS = ['http', 'https'] as const;
const PAGE_LOADS = 10;
const INSTANCES = 2;
const CART_LINE = { sku: 'BROWSER-1', quantity: 2 };
/** A header the live-check instance trusts and the browser sends itself, claiming https over plain HTTP. */
const CLAIMED_PROTO_HEADER = 'x-test-claimed-proto';

interface Visit {
  readonly loads: readonly SessionSeen[];
  readonly cart: SessionSeen;
  readonly after: SessionSeen;
  readonly cookie: string;
}

/** Kept: one visitor tag throughout, visits counting 1..N, the cart line present afterwards, no id in any body. */
function keptOneSession(visit: Visit): boolean {
  const all = [...visit.loads, visit.cart, visit.after];
  const tag = visit.loads[0]?.visitorTag;
  return (
    tag !== undefined &&
    all.every((s) => s.status === 200 && s.visitorTag === tag && !s.hasSessionId) &&
    visit.loads.every((s, i) => s.visits === i + 1) &&
    visit.after.visits === PAGE_LOADS + 1 &&
    (visit.after.cart ?? []).some((l) => l.sku === CART_LINE.sku && l.quantity === CART_LINE.quantity)
  );
}

describe('sessions in a real browser (Chromium, non-local host name)', () => {
  let browser: Browser | undefined;
  let redis: RedisEngine | undefined;
  const stacks = new Map<Strategy, StrategyStack>();
  /** The old cookie bug on purpose: an instance told the request was HTTPS while the browser uses HTTP. */
  let misconfigured: AppInstance | undefined;
  const visits = new Map<string, Visit>();
  const table: string[][] = [];
  let setupSeconds = 0;

  beforeAll(async () => {
    const t0 = performance.now();
    browser = await launchChromium();
    redis = await startRedis();
    const envs: Record<Strategy, Record<string, string>> = {
      memory: {},
      redis: redis.appEnv(),
      cookie: { [ENV.sessionSigningKey]: randomBytes(32).toString('base64url') },
    };
    const control = startAppInstances({
      count: 1,
      namePrefix: 'secure-over-http',
      env: { [ENV.sessionStore]: 'memory', [ENV.forwardedProtoHeader]: CLAIMED_PROTO_HEADER },
    }).then(([instance]) => (misconfigured = instance));
    const started = await Promise.allSettled(STRATEGIES.map((strategy) => startStrategyStack(strategy, envs[strategy], INSTANCES)));
    await control;
    started.forEach((result, i) => result.status === 'fulfilled' && stacks.set(STRATEGIES[i], result.value));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    setupSeconds = (performance.now() - t0) / 1000;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const stack of stacks.values()) await stopStrategyStack(stack);
    await misconfigured?.stop();
    await redis?.stop();
    if (table.length > 0) {
      process.stdout.write(
        `\nBrowser sessions (Chromium ${browser?.version() ?? '?'} at ${LAB_HOST}, ${INSTANCES} instances per strategy, ` +
          `setup ${setupSeconds.toFixed(1)} s)\n` +
          `${formatTable(['origin', 'strategy', 'kept?', 'instances', 'cookie attributes'], table)}\n`,
      );
    }
  }, 30_000);

  it('is live: Chromium drops a Secure session cookie sent over plain HTTP, so each load starts a new session', async () => {
    // Prepare: the app is made to believe the request came over HTTPS, as the code before the cookie-security fix always did.
    const origin = `http://${LAB_HOST}:${(misconfigured as AppInstance).port}`;
    const context = await (browser as Browser).newContext({ extraHTTPHeaders: { [CLAIMED_PROTO_HEADER]: 'https' } });
    const page = await context.newPage();

    try {
      // Act
      const loads = [await loadSessionPage(page, origin), await loadSessionPage(page, origin), await loadSessionPage(page, origin)];
      const cookie = await sessionCookieAttributes(context);
      table.push(['http', 'memory, cookie marked Secure (pre-fix)', 'NO', instancesLine(loads.map((l) => l.servedBy)), cookie]);

      // Assess
      expect(loads.map((l) => l.visits)).toEqual([1, 1, 1]);
      expect(new Set(loads.map((l) => l.visitorTag)).size).toBe(3);
      expect(cookie).toBe('none kept');
    } finally {
      await context.close();
    }
  });

  describe.each(ORIGINS)('over %s', (origin) => {
    it.each(STRATEGIES)(`keeps one %s session over ${PAGE_LOADS} page loads and an add-to-cart`, async (strategy) => {
      // Prepare
      const stack = stacks.get(strategy) as StrategyStack;
      const context = await (browser as Browser).newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();

      try {
        // Act
        const loads: SessionSeen[] = [];
        for (let i = 0; i < PAGE_LOADS; i += 1) loads.push(await loadSessionPage(page, stack.origins[origin]));
        const cart = await addToCart(page, CART_LINE);
        const after = await loadSessionPage(page, stack.origins[origin]);
        const visit: Visit = { loads, cart, after, cookie: await sessionCookieAttributes(context) };
        visits.set(`${origin}/${strategy}`, visit);
        const servedBy = [...loads, cart, after].map((s) => s.servedBy);
        table.push([origin, strategy, keptOneSession(visit) ? 'yes' : 'NO', instancesLine(servedBy), visit.cookie]);

        // Assess
        expect(keptOneSession(visit)).toBe(true);
        expect(visit.cookie).toBe(origin === 'https' ? 'HttpOnly Secure SameSite=Lax' : 'HttpOnly SameSite=Lax');
        // Sticky routing keeps memory sessions on one instance; the shared strategies spread.
        expect(new Set(servedBy).size).toBe(strategy === 'memory' ? 1 : INSTANCES);
      } finally {
        await context.close();
      }
    });
  });

  it.each(STRATEGIES)('when the instance serving a %s session is killed, the session is lost only with memory', async (strategy) => {
    // Prepare
    const stack = stacks.get(strategy) as StrategyStack;
    const context = await (browser as Browser).newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();

    try {
      const before = [await loadSessionPage(page, stack.origins.http), await loadSessionPage(page, stack.origins.http)];
      const victim = stack.apps.find((a) => a.name === before[1].servedBy);
      if (victim === undefined) throw new Error(`no instance named ${before[1].servedBy}`);

      // Act
      await victim.kill();
      await stack.lb.waitForServerStatus('DOWN', [victim.name], 10_000); // HAProxy's health checks, as an ALB's
      const after = await loadSessionPage(page, stack.origins.http);
      const kept = after.visitorTag === before[0].visitorTag && after.visits === 3;
      table.push(['http', `${strategy}, ${victim.name} killed`, kept ? 'yes' : 'no (lost)', instancesLine([...before, after].map((s) => s.servedBy)), await sessionCookieAttributes(context)]);

      // Assess
      expect(after.status).toBe(200);
      expect(after.servedBy).not.toBe(victim.name);
      expect(kept).toBe(strategy !== 'memory');
      if (strategy === 'memory') expect(after).toMatchObject({ isNew: true, visits: 1 });
    } finally {
      await context.close();
    }
  });
});
