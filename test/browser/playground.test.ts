/**
 * The playground in a real browser: the console page at the one address, driven as a person would,
 * through its panels and its control strip. One playground and one page for the whole file, in the
 * order a visitor would try things (each test leaves the state the next one expects). One Lambda-tier
 * instance is enough to show its copy of the page, and one process fewer to start on 2 cores.
 *
 * PLAYGROUND_SCREENSHOT=docs/playground.png writes the screenshot the README shows.
 */
import type { Browser, Page } from 'playwright-core';
import { descendantPids, httpGet, runningProcesses } from '../../harness';
import { startPlayground, type Playground } from '../../harness/playground';
import { launchChromium } from '../support/chromium';
import { listeningSockets } from '../support/listening-sockets';

/** The page's DOM, as far as the functions evaluated in the browser use it (no DOM lib in tsconfig). */
declare const document: {
  querySelector(selector: string): { textContent: string | null; getAttribute(name: string): string | null; classList: { contains(c: string): boolean } } | null;
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null; getAttribute(name: string): string | null }>;
  documentElement: { scrollWidth: number };
  activeElement: { id: string } | null;
};

jest.setTimeout(60_000);

let playground: Playground;
let browser: Browser;
let page: Page;
const cspViolations: string[] = [];
const failedResponses: string[] = [];

beforeAll(async () => {
  [playground, browser] = await Promise.all([startPlayground({ sessionStore: 'redis', sticky: false, lambdaInstances: 1 }), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !/\/notes/.test(response.url())) failedResponses.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${playground.url}/`);
  await page.locator('#controls').waitFor({ state: 'visible' });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
}, 30_000);

const text = (selector: string) => page.locator(selector).innerText();
/** The text of an SVG or of a closed <details> (innerText is for rendered HTML only). */
const content = async (selector: string) => (await page.locator(selector).textContent()) ?? '';

/** Clicks and waits until `selector`'s text matches `expected`. */
async function clickAndWait(button: string, selector: string, expected: RegExp, timeout = 15_000): Promise<string> {
  await page.click(button);
  try {
    await page.waitForFunction(
      ([sel, source]) => new RegExp(source).test(document.querySelector(sel)?.textContent ?? ''),
      [selector, expected.source] as const,
      { timeout },
    );
  } catch (error) {
    throw new Error(`${selector} never matched ${expected} after clicking ${button}; it reads: ${await text(selector)}`, { cause: error });
  }
  return text(selector);
}

/** Clicks and waits until `selector`'s text is no longer what it was. */
async function clickForChange(button: string, selector: string): Promise<string> {
  const before = await text(selector);
  await page.click(button);
  await page.waitForFunction(([sel, previous]) => (document.querySelector(sel)?.textContent ?? '') !== previous, [selector, before] as const);
  return text(selector);
}

/** Newest line of a result list (lists read oldest first). */
const newestLine = async (list: string) => (await page.locator(`${list} li`).last().textContent()) ?? '';

async function clickForNewLine(button: string, list: string): Promise<string> {
  const before = await page.locator(`${list} li`).count();
  const last = before === 0 ? '' : await newestLine(list);
  await page.click(button);
  await page.waitForFunction(
    ([sel, count, previous]) => {
      const items = document.querySelectorAll(`${sel} li`);
      return items.length > count || (items.length > 0 && items[items.length - 1].textContent !== previous);
    },
    [list, before, last] as const,
  );
  return newestLine(list);
}

/** Waits until the diagram element `selector` satisfies `test` (run in the page on its attributes). */
async function waitForDiagram(selector: string, attribute: string, expected: RegExp, timeout = 20_000): Promise<void> {
  try {
    await page.waitForFunction(
      ([sel, attr, source]) => new RegExp(source).test(document.querySelector(sel)?.getAttribute(attr) ?? ''),
      [selector, attribute, expected.source] as const,
      { timeout },
    );
  } catch (error) {
    const actual = await page.locator(selector).getAttribute(attribute).catch(() => '(absent)');
    throw new Error(`${selector} [${attribute}] never matched ${expected}; it is ${actual}`, { cause: error });
  }
}

async function waitForInstanceStatus(name: string, status: string): Promise<void> {
  await page.waitForFunction(
    ([n, s]) => (document.querySelector('#ctl-instances')?.textContent ?? '').includes(`${n}: ${s}`),
    [name, status] as const,
    { timeout: 15_000 },
  );
}

const servedBy = (line: string) => /served by (\w+-\d+)/.exec(line)?.[1] ?? '';

describe('playground console', () => {
  it('listens on 127.0.0.1 only: no process it started answers at another address of this machine', async () => {
    const pids = runningProcesses().flatMap(({ pid }) => [pid, ...descendantPids(pid)]);
    const sockets = listeningSockets(pids);
    const apps = playground.appEndpoints();
    // Both tiers, both writers, HAProxy, PostgreSQL, Redis and dynalite: all found, all on loopback.
    expect(apps.every(({ port }) => sockets.some((s) => s.port === port))).toBe(true);
    expect(sockets.filter((s) => s.address !== '127.0.0.1')).toEqual([]);
    // 127.0.0.2 is this machine too: a socket on 0.0.0.0 would answer there, lab-only /work included.
    for (const { port } of apps) await expect(httpGet(`http://127.0.0.2:${port}/work`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('serves the console from the app, on both tiers, with the control strip', async () => {
    expect(await text('#where')).toMatch(/fargate tier; instance fargate-\d .*answered/);
    const lambdaPage = await browser.newPage();
    await lambdaPage.goto(`${playground.url}/lambda/`);
    await lambdaPage.waitForFunction(() => /lambda tier/.test(document.querySelector('#where')?.textContent ?? ''));
    await lambdaPage.close();
  });

  it('draws, without the control API (as on a deployed stack), only what the app itself reports', async () => {
    const deployed = await browser.newPage();
    // A deployed stack has no /_playground/: the path answers 404 there.
    await deployed.route('**/_playground/**', (route) => route.fulfill({ status: 404, body: 'Not Found' }));
    await deployed.goto(`${playground.url}/`);
    await deployed.waitForFunction(() => /replica-?\d+: /.test(document.querySelector('#diagram-text')?.textContent ?? ''));
    await deployed.click('#identity-send');
    await deployed.waitForFunction(() => /10 of 10 answered/.test(document.querySelector('#identity-result')?.textContent ?? ''));
    const words = (await deployed.locator('#diagram-text').textContent()) ?? '';
    expect(await deployed.locator('#controls').isHidden()).toBe(true);
    // Instances as they answered (state "seen", not an up/down it cannot know), one Region: its own.
    expect(words).toMatch(/fargate-\d \(fargate\): seen, \d+ requests from this page/);
    expect(words).not.toMatch(/: (up|down),/);
    expect(words).toContain('DynamoDB Region this Region.');
    await deployed.close();
  });

  it('spreads requests over instances without stickiness, and keeps one instance with it', async () => {
    const spread = await clickAndWait('#identity-send', '#identity-result', /10 of 10 answered/);
    expect(Number(/by (\d+) instance/.exec(spread)?.[1])).toBeGreaterThanOrEqual(2);

    await clickAndWait('#ctl-sticky', '#ctl-sticky', /Stickiness: on/);
    await page.click('#identity-reset');
    const sticky = await clickAndWait('#identity-send', '#identity-result', /10 of 10 answered/);
    expect(sticky).toMatch(/answered by 1 instance\(s\)/);
  });

  it('keeps a Redis session when its instance is killed', async () => {
    // By keyboard: a focused button activates with Enter.
    await page.focus('#session-add');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /redis session.*served by/.test(document.querySelector('#session-result')?.textContent ?? ''));
    const victim = servedBy(await text('#session-result'));
    expect(victim).toMatch(/^fargate-\d$/);

    await page.click(`#ctl-kill-${victim}`);
    await waitForInstanceStatus(victim, 'DOWN');
    await waitForDiagram(`#dg-${victim}`, 'data-state', /^down$/);
    expect(await content('#diagram-text')).toContain(`${victim} (fargate): down`);
    const after = await clickForChange('#session-visit', '#session-result');
    expect(after).toMatch(/Session survived the change of instance/);
    expect(after).toMatch(/cart: A-1 x1/);

    await page.click(`#ctl-restart-${victim}`);
    await waitForInstanceStatus(victim, 'UP');
    await waitForDiagram(`#dg-${victim}`, 'data-state', /^up$/);
  });

  it('loses an in-memory session with its instance', async () => {
    await page.selectOption('#ctl-session-store', 'memory');
    await clickAndWait('#ctl-session-apply', '#ctl-state', /session store memory/, 30_000);
    await clickAndWait('#session-add', '#session-result', /memory session/);
    const victim = servedBy(await text('#session-result'));

    await page.click(`#ctl-kill-${victim}`);
    await waitForInstanceStatus(victim, 'DOWN');
    await page.click('#session-visit');
    await page.waitForFunction((v) => {
      const t = document.querySelector('#session-result')?.textContent ?? '';
      return /memory session/.test(t) && !t.includes(`served by ${v}.`);
    }, victim);
    expect(await text('#session-result')).toMatch(/Session LOST: fargate-\d started a new session/);
  });

  it('reads stale without read-your-writes while replication is frozen, and fresh with it', async () => {
    // A first write with replication flowing creates the schema on the replicas too.
    await clickForNewLine('#note-write', '#note-result');
    await clickAndWait('#ctl-freeze', '#ctl-state', /replication FROZEN/);
    expect(await clickForNewLine('#note-write', '#note-result')).toMatch(/Wrote note [\w-]+ on the primary/);
    // The frozen replicas' lag bars grow (the diagram polls the lag every 2 s).
    await waitForDiagram('[id^="dg-lagbar-"]', 'data-bytes', /^[1-9]\d*$/);

    expect(await clickForNewLine('#note-read-eventual', '#note-result')).toMatch(/STALE \(plain\): replica-?\d+ does not have note/);
    expect(await clickForNewLine('#note-read-ryw', '#note-result')).toMatch(/FRESH \(read-your-writes\): note [\w-]+ read from primary \(reason: read-your-writes-fallback\)/);
    // The path of that read: through an instance to the primary, with the reason.
    await waitForDiagram('#diagram-path', 'data-nodes', /primary/);
    expect(await page.locator('#dg-primary').getAttribute('class')).toMatch(/\bhl\b/);
    expect(await text('#diagram-path')).toMatch(/read from primary \(read-your-writes-fallback\)/);

    await clickAndWait('#ctl-thaw', '#ctl-state', /replication flowing/);
    // ...and fall back to 0 once thawed.
    await page.waitForFunction(() => {
      const bars = document.querySelectorAll('[id^="dg-lagbar-"]');
      return bars.length > 0 && Array.from(bars).every((b) => b.getAttribute('data-bytes') === '0');
    }, undefined, { timeout: 30_000 });
  });

  it('reports a lost write after writing one item in two partitioned Regions', async () => {
    await clickAndWait('#ctl-hold', '#ctl-state', /Regions PARTITIONED/);
    await waitForDiagram('#dl-replication', 'class', /\bheld\b/);
    expect(await content('#diagram-svg')).toContain('replication HELD');
    await page.click('#item-write');
    await page.waitForFunction(() => document.querySelectorAll('#item-result li').length >= 2);
    expect(await text('#item-result')).toMatch(/us-east-1: acknowledged[\s\S]*|us-west-2: acknowledged/);
    await clickAndWait('#ctl-release', '#ctl-state', /Regions connected/);

    await page.click('#item-read');
    await page.waitForFunction(() => /CONFLICT/.test(document.querySelector('#item-result')?.textContent ?? ''));
    expect(await text('#item-result')).toMatch(/CONFLICT: this Region.s write "written in us-[a-z]+-\d at .*" was lost \(last writer wins\)/);
    // One conflict, one lost write: counted once.
    expect(await text('#ctl-log')).toMatch(/release-replicator: Regions healed: the held writes are replicated; 1 write\(s\) lost/);
    await waitForDiagram('#diagram-path', 'data-nodes', /region-us-/);
    expect(await text('#diagram-path')).toMatch(/us-[a-z]+-\d.s write was LOST/);
    if (process.env.PLAYGROUND_SCREENSHOT) {
      await page.locator('#diagram').screenshot({ path: process.env.PLAYGROUND_SCREENSHOT.replace(/\.png$/, '-diagram.png') });
    }
  });

  it('shows a cache miss then a hit, replica lag in bytes, and both kinds of counter burst', async () => {
    expect(await clickForNewLine('#cache-update', '#cache-result')).toMatch(/Created on the primary; nothing was cached yet/);
    expect(await clickForNewLine('#cache-read', '#cache-result')).toMatch(/MISS in [\d.]+ ms on the server \(PostgreSQL, now cached\)/);
    expect(await clickForNewLine('#cache-read', '#cache-result')).toMatch(/HIT in [\d.]+ ms on the server \(Redis\)/);

    await page.click('#lag-refresh');
    await page.waitForFunction(() => /bytes behind/.test(document.querySelector('#lag-result')?.textContent ?? ''));
    expect(await text('#lag-result')).toMatch(/replica-?\d+: \d+ bytes behind/);
    expect(await text('#lag-result')).not.toMatch(/\d\.\d{3,}/); // rounded, never 46452.72... ms

    expect(await clickForNewLine('#counter-hot', '#counter-result')).toMatch(/hot: 20 increments in \d+ ms \([\d.]+ ms each, at most \d+ in flight at once/);
    expect(await clickForNewLine('#counter-sharded', '#counter-result')).toMatch(/sharded: 20 increments in \d+ ms/);
    expect(await content('#plot-counters')).toMatch(/hot[\s\S]*sharded/);
    expect(await content('#plot-cache')).toMatch(/hit.*50 % \(1\)/);
    // Every pattern walked: the page as the README shows it.
    if (process.env.PLAYGROUND_SCREENSHOT) await page.screenshot({ path: process.env.PLAYGROUND_SCREENSHOT, fullPage: true });
  });

  it('says a save while Redis is down failed to invalidate, and says "Redis up" only once the app uses it again', async () => {
    await clickAndWait('#ctl-redis-stop', '#ctl-state', /Redis down/);
    expect(await clickForNewLine('#cache-update', '#cache-result')).toMatch(/Updated on the primary; but the cache invalidation FAILED .*stale/);
    await clickAndWait('#ctl-redis-start', '#ctl-state', /Redis up/, 30_000);
    // The very next read goes through Redis: no 503, no bypass.
    expect(await clickForNewLine('#cache-read', '#cache-result')).toMatch(/(MISS|HIT) in [\d.]+ ms/);
  });

  it('shows the server\'s validation message, sends an empty note as typed, and keeps the field limits of the server', async () => {
    await page.fill('#note-text', '');
    const line = await clickForNewLine('#note-write', '#note-result');
    expect(line).toMatch(/HTTP 400: .*body\.text/);
    expect(line).not.toMatch(/\( ?\)/);
    expect(await page.locator('#session-sku').getAttribute('maxlength')).toBe('32');
    expect(await text('#where')).toMatch(/Latest answer: (fargate|lambda)-\d/);
    // Colours follow the name (fargate-N is colour N-1), not the order in which instances answered.
    const tags = await page.locator('#identity-tally .tag').evaluateAll((els) => els.map((e) => `${e.textContent} ${e.getAttribute('class')}`));
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(Number(/c(\d)$/.exec(tag)?.[1])).toBe(Number(/^fargate-(\d+)/.exec(tag)?.[1]) - 1);
  });

  it('keeps the replay delay in force after a reload, and resets everything with one control', async () => {
    await page.fill('#ctl-delay-ms', '700');
    await clickAndWait('#ctl-delay-set', '#ctl-state', /replay delay 700 ms/);
    await page.reload();
    await page.locator('#controls').waitFor({ state: 'visible' });
    await page.waitForFunction(() => /replay delay 700/.test(document.querySelector('#ctl-state')?.textContent ?? ''));
    expect(await page.inputValue('#ctl-delay-ms')).toBe('700');

    // Something to undo besides the delay: stickiness on (it may be on already since the reverse-proxy test).
    if ((await text('#ctl-sticky')).includes('off')) await clickAndWait('#ctl-sticky', '#ctl-sticky', /Stickiness: on/);
    await clickAndWait('#reset-all', '#ctl-state', /replay delay 0 ms/);
    await page.waitForFunction(() => /Stickiness: off/.test(document.querySelector('#ctl-sticky')?.textContent ?? ''));
  });

  it('describes the picture in words, and reaches every control by keyboard', async () => {
    expect(await page.locator('#diagram-svg').getAttribute('role')).toBe('img');
    await page.waitForFunction(() => /replica-?\d+: .*behind/.test(document.querySelector('#diagram-text')?.textContent ?? ''));
    const words = await page.locator('#diagram-text li').allTextContents();
    expect(words.join('\n')).toMatch(/fargate-1 \(fargate\): up[\s\S]*Redis: up[\s\S]*replica[\s\S]*Replication between Regions: flowing/);

    const buttons = await page.locator('button:visible, input:visible, select:visible, summary').evaluateAll((els) => els.map((e) => (e as unknown as { id: string }).id || 'summary'));
    const reached = new Set<string>();
    await page.focus('#reset-all');
    for (let i = 0; i < buttons.length + 10; i++) {
      reached.add(await page.evaluate(() => document.activeElement?.id || 'summary'));
      await page.keyboard.press('Tab');
    }
    expect(buttons.filter((id) => !reached.has(id))).toEqual([]);
  });

  it('logs every action with its time, breaks no CSP rule, and fits a phone screen', async () => {
    const log = await text('#ctl-log');
    for (const action of ['sticky', 'kill', 'session-store', 'freeze-replication', 'hold-replicator', 'release-replicator']) {
      expect(log).toMatch(new RegExp(`\\d{1,2}:\\d{2}:\\d{2}.*${action}: `));
    }
    expect(cspViolations).toEqual([]);
    expect(failedResponses).toEqual([]); // no favicon 404 (nor any other)

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
