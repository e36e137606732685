import type { ALBResult } from 'aws-lambda';
import { systemClock } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { createPatternApp } from '../../lambdas/http/app';
import { CONSOLE_CSP, consoleRoutes } from '../../lambdas/http/console-routes';
import { lambdaHandler } from '../../lambdas/http/lambda-entry';
import { CONSOLE_PAGE_HTML } from '../../lambdas/console/console-page';
import { albEvent, lambdaContext } from '../../toolkit/alb-event';

const identity = new InstanceIdentity({ instanceId: 'test-1', tier: 'local', region: 'eu-west-1' }, systemClock);
const app = createPatternApp(identity, [consoleRoutes()]);

describe('console routes', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', '<!doctype html>'],
    ['/console/app.js', 'text/javascript; charset=utf-8', '/_playground/'],
    ['/console/style.css', 'text/css; charset=utf-8', ':focus-visible'],
    ['/console/icon.svg', 'image/svg+xml', '<svg'],
  ])('serves %s as %s under a strict CSP', async (path, type, excerpt) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // Only the headers the console has always sent: none of secure-headers' other defaults.
    for (const other of ['strict-transport-security', 'x-frame-options', 'cross-origin-opener-policy', 'cross-origin-resource-policy']) {
      expect(res.headers.get(other)).toBeNull();
    }
    expect(await res.text()).toContain(excerpt);
  });

  it('allows nothing inline and nothing from another origin', () => {
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(CONSOLE_CSP).toContain("default-src 'none'");
  });

  it('has no inline script, style or event handler, and only relative asset URLs', () => {
    expect(CONSOLE_PAGE_HTML).not.toMatch(/<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=/i);
    expect(CONSOLE_PAGE_HTML).not.toMatch(/(src|href)="(https?:)?\/\//);
    // One script, the bundle of lambdas/console/browser/ (test/unit/console-bundle.test.ts).
    expect([...CONSOLE_PAGE_HTML.matchAll(/<script[^>]*>/g)].map(([tag]) => tag)).toEqual(['<script src="console/app.js" defer>']);
    // The page names its icon: no request for /favicon.ico, which the app does not serve.
    expect(CONSOLE_PAGE_HTML).toContain('<link rel="icon" href="console/icon.svg"');
  });

  it.each(['/console/diagram.js', '/console/controls.js'])('no longer serves %s: the one bundle holds the diagram and the controls', async (path) => {
    expect((await app.request(path)).status).toBe(404);
  });

  it('is the page of the Lambda tier at /lambda/ too (the prefix is stripped)', async () => {
    const handler = lambdaHandler(() => app);
    const result = (await handler(albEvent({ path: '/lambda/' }), lambdaContext())) as ALBResult;
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('<title>Scalability patterns console</title>');
  });
});
