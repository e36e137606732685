/**
 * The console page and its assets, served by the app itself on both tiers, so that a deployed stack
 * shows at its URL the same page as the playground: `GET /` (and `/lambda/` behind the ALB, whose
 * prefix the Lambda entry strips), `GET /console/app.js` (the page's one script, bundled from
 * lambdas/console/browser/: see console-bundle.ts), `/console/style.css`, `/console/icon.svg`.
 *
 * A strict Content-Security-Policy: scripts, styles and fetches from this origin only, nothing
 * inline, no frames, no forms, no plugins. The playground's control API is reached through the same
 * origin (its HAProxy routes `/_playground/*`), so `connect-src 'self'` covers it too.
 */
import type { Context, Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { consoleScript } from '../console/console-bundle';
import { CONSOLE_PAGE_HTML } from '../console/console-page';
import { CONSOLE_STYLE_CSS } from '../console/console-style';
import type { RegisterRoutes } from './app';

/** The console's Content-Security-Policy, as hono/secure-headers writes it. */
const CONSOLE_CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  connectSrc: ["'self'"],
  imgSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/** The policy header as a browser receives it (what the console's tests pin). */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The console's security headers, and only those it has always sent (the CSP, `nosniff`,
 * `Referrer-Policy: no-referrer`): hono/secure-headers' other defaults (HSTS, COOP, CORP,
 * X-Frame-Options...) stay off, so that this change of means changes no response.
 */
const consoleSecurityHeaders = secureHeaders({
  contentSecurityPolicy: CONSOLE_CSP_DIRECTIVES,
  xContentTypeOptions: true,
  referrerPolicy: true,
  crossOriginResourcePolicy: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  strictTransportSecurity: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
});

const CONSOLE_ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0969da"/><path d="M3 8h3M10 4h3M10 12h3M6 8l4-4M6 8l4 4" stroke="#fff" stroke-width="1.5" fill="none"/></svg>';

interface Asset {
  readonly type: string;
  /** A function for the script: from sources it is bundled on first use, not when the app starts. */
  readonly body: string | (() => string);
}

const ASSETS: Readonly<Record<string, Asset>> = {
  '/': { type: 'text/html; charset=utf-8', body: CONSOLE_PAGE_HTML },
  '/console/app.js': { type: 'text/javascript; charset=utf-8', body: consoleScript },
  // The page names it, so browsers stop asking for /favicon.ico (a 404 on every load).
  '/console/icon.svg': { type: 'image/svg+xml', body: CONSOLE_ICON_SVG },
  '/console/style.css': { type: 'text/css; charset=utf-8', body: CONSOLE_STYLE_CSS },
};

function serveAsset(c: Context, asset: Asset): Response {
  c.header('Content-Type', asset.type);
  // Small and versioned with the code: revalidate rather than serve a page older than the routes.
  c.header('Cache-Control', 'no-cache');
  return c.body(typeof asset.body === 'string' ? asset.body : asset.body(), 200);
}

/**
 * @example
 * createPatternApp(identity, [reverseProxyRoutes(identity), consoleRoutes()]);
 */
export function consoleRoutes(): RegisterRoutes {
  return (app: Hono): void => {
    for (const [path, asset] of Object.entries(ASSETS)) app.get(path, consoleSecurityHeaders, (c) => serveAsset(c, asset));
  };
}
