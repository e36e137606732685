/**
 * What the browser test drives: the system Chromium through playwright-core (never a downloaded
 * browser), and one lab stack per session strategy (app instances behind the harness's HAProxy,
 * with an HTTP and an HTTPS frontend), reached at a non-local host name as a deployed app would be.
 */
import * as fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ENV } from '../../lambdas/config/env-names';
import { startAppInstances, startHaproxy, type AppInstance, type Haproxy } from '../../harness';

export const CHROMIUM_PATH = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
/** Not a loopback name: Chromium applies its real cookie rules (no `Secure` over HTTP) here. */
export const LAB_HOST = 'patterns.example';

export type Strategy = 'memory' | 'redis' | 'cookie';

/** Fails (never skips) when the browser is missing, saying how to get it. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: the browser test needs Debian's chromium. ` +
        '`bash scripts/bootstrap.sh` installs it (or set CHROMIUM_BIN to another Chromium binary).',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--host-resolver-rules=MAP ${LAB_HOST} 127.0.0.1`,
    ],
  });
}

/** One strategy's stack: instances, HAProxy (sticky for memory), and its two origins. */
export interface StrategyStack {
  readonly strategy: Strategy;
  readonly apps: readonly AppInstance[];
  readonly lb: Haproxy;
  readonly origins: { readonly http: string; readonly https: string };
}

export async function startStrategyStack(strategy: Strategy, env: Record<string, string>, instances: number): Promise<StrategyStack> {
  const apps = await startAppInstances({ count: instances, namePrefix: strategy, env: { [ENV.sessionStore]: strategy, ...env } });
  try {
    // Fast health checks: a killed instance is marked DOWN within about half a second.
    const lb = await startHaproxy({ backends: apps, sticky: strategy === 'memory', https: true, checkIntervalMs: 200 });
    return {
      strategy,
      apps,
      lb,
      origins: { http: `http://${LAB_HOST}:${lb.port}`, https: `https://${LAB_HOST}:${lb.httpsPort}` },
    };
  } catch (error) {
    await Promise.all(apps.map((a) => a.stop()));
    throw error;
  }
}

export async function stopStrategyStack(stack: StrategyStack | undefined): Promise<void> {
  if (stack === undefined) return;
  await stack.lb.stop();
  await Promise.all(stack.apps.map((a) => a.stop()));
}

/** The part of a session answer the test reads. */
export interface SessionSeen {
  readonly status: number;
  readonly servedBy: string;
  readonly visitorTag?: string;
  readonly visits?: number;
  readonly isNew?: boolean;
  readonly cart?: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>;
  readonly hasSessionId: boolean;
}

/** A page load of `/session` (a top-level navigation, as a user's click). */
export async function loadSessionPage(page: Page, origin: string): Promise<SessionSeen> {
  const response = await page.goto(`${origin}/session`);
  if (response === null) throw new Error(`no response for ${origin}/session`);
  const body = (await response.json()) as Record<string, unknown>;
  return seen(response.status(), response.headers()['x-served-by'] ?? '(none)', body);
}

/** Add to cart from the page's own script (same-origin fetch: the browser decides which cookies go). */
export async function addToCart(page: Page, item: { sku: string; quantity: number }): Promise<SessionSeen> {
  const { status, servedBy, body } = await page.evaluate(async (line) => {
    const r = await fetch('/session/cart', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(line) });
    return { status: r.status, servedBy: r.headers.get('x-served-by') ?? '(none)', body: (await r.json()) as Record<string, unknown> };
  }, item);
  return seen(status, servedBy, body);
}

function seen(status: number, servedBy: string, body: Record<string, unknown>): SessionSeen {
  return {
    status,
    servedBy,
    visitorTag: body.visitorTag as string | undefined,
    visits: body.visits as number | undefined,
    isNew: body.isNew as boolean | undefined,
    cart: body.cart as SessionSeen['cart'],
    hasSessionId: 'sessionId' in body,
  };
}

/** The session cookie as the browser holds it, in the table's words (`HttpOnly Secure SameSite=Lax`). */
export async function sessionCookieAttributes(context: BrowserContext, name = 'sid'): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === name);
  if (cookie === undefined) return 'none kept';
  return [cookie.httpOnly ? 'HttpOnly' : '', cookie.secure ? 'Secure' : '', `SameSite=${cookie.sameSite}`].filter((a) => a !== '').join(' ');
}

/** `memory-1 x11` or `redis-1 x6, redis-2 x5`. */
export function instancesLine(servedBy: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of servedBy) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name} x${n}`).join(', ');
}

/** A fixed-width table for stdout (the closing note quotes it). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
