/**
 * The console page (`GET /`): one panel per pattern, each calling the routes the app already
 * serves. A TypeScript string rather than an .html file so that every bundler of this repository
 * (the Lambda build, `build:server`, the harness, ts-jest) ships it without a loader setting.
 *
 * Every URL in it is relative: the same page works at `/` (Fargate tier) and at `/lambda/` (Lambda
 * tier, where the load balancer keeps the prefix and the handler strips it). Nothing is inline
 * (no script or style attribute), so the page runs under a CSP without 'unsafe-inline'. Its one
 * script, `console/app.js`, is the bundle of `browser/` (console-bundle.ts).
 */
export const CONSOLE_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Scalability patterns console</title>
<link rel="stylesheet" href="console/style.css">
<link rel="icon" href="console/icon.svg" type="image/svg+xml">
<script src="console/app.js" defer></script>
</head>
<body>
<header>
  <h1>Scalability patterns</h1>
  <p id="where" role="status">Asking which instance serves this page...</p>
  <button type="button" id="reset-all">Reset all</button> <span class="hint">clears this page's results and plots; in the playground also undoes every control (stickiness, freeze, delay, partition, Redis, killed instances)</span>
</header>

<section id="diagram" class="diagram" aria-labelledby="diagram-h">
  <h2 id="diagram-h">The architecture, live</h2>
  <svg id="diagram-svg" role="img" aria-labelledby="diagram-svg-title diagram-svg-desc" viewBox="0 0 960 250"><title id="diagram-svg-title">Architecture diagram</title><desc id="diagram-svg-desc">The load balancer, each instance with its state and requests served, Redis, the PostgreSQL primary and replicas with lag bars, and the DynamoDB Regions with their replication link. The list below says the same in words.</desc></svg>
  <p id="diagram-path" class="path" role="status" aria-live="polite"></p>
  <details><summary>The diagram in words</summary><ul id="diagram-text" class="lines"></ul></details>
  <div class="plots">
    <figure><svg id="plot-lag-bytes" role="img"></svg><figcaption>Replication lag per replica, bytes of WAL not replayed (up to the last 5 min)</figcaption></figure>
    <figure><svg id="plot-lag-ms" role="img"></svg><figcaption>Age of each replica's last replayed commit while behind, seconds (up to the last 5 min)</figcaption></figure>
    <figure><svg id="plot-requests" role="img"></svg><figcaption>Requests per instance, as this page counted them</figcaption></figure>
    <figure><svg id="plot-counters" role="img"></svg><figcaption>Hot row versus sharded: ms per increment, last bursts</figcaption></figure>
    <figure><svg id="plot-cache" role="img"></svg><figcaption>Cache hit ratio of this page's profile reads</figcaption></figure>
  </div>
</section>

<section id="controls" class="controls" aria-labelledby="controls-h" hidden>
  <h2 id="controls-h">Playground controls <span class="hint">(local only)</span></h2>
  <div class="control-grid">
    <fieldset><legend>Load balancer</legend>
      <button type="button" id="ctl-sticky" aria-pressed="false">Stickiness: off</button>
    </fieldset>
    <fieldset><legend>Instances</legend>
      <div id="ctl-instances"></div>
      <button type="button" id="ctl-add-fargate">Add Fargate instance</button>
      <button type="button" id="ctl-add-lambda">Add Lambda instance</button>
    </fieldset>
    <fieldset><legend>Sessions</legend>
      <label for="ctl-session-store">Session store</label>
      <select id="ctl-session-store"><option>redis</option><option>memory</option><option>cookie</option></select>
      <button type="button" id="ctl-session-apply">Apply (restarts instances)</button>
    </fieldset>
    <fieldset><legend>Replication (PostgreSQL)</legend>
      <label for="ctl-delay-ms">Replay delay (ms)</label>
      <input id="ctl-delay-ms" type="number" min="0" max="60000" step="100" value="0" inputmode="numeric">
      <button type="button" id="ctl-delay-set">Set delay</button>
      <button type="button" id="ctl-freeze">Freeze replication</button>
      <button type="button" id="ctl-thaw">Thaw</button>
    </fieldset>
    <fieldset><legend>Regions (global table)</legend>
      <button type="button" id="ctl-hold">Partition: hold replication</button>
      <button type="button" id="ctl-release">Heal: release</button>
    </fieldset>
    <fieldset><legend>Redis</legend>
      <button type="button" id="ctl-redis-stop">Stop Redis</button>
      <button type="button" id="ctl-redis-start">Start Redis</button>
    </fieldset>
  </div>
  <p id="ctl-state" class="state" role="status"></p>
  <h3>Actions</h3>
  <ol id="ctl-log" class="log" aria-live="polite"></ol>
</section>

<main>
<section class="panel" id="identity" aria-labelledby="identity-h">
  <h2 id="identity-h">Reverse proxy: who answered?</h2>
  <p class="links">Code: <code>lambdas/core/reverse-proxy-identity.ts</code>; lab: <code>npm run lab -- --only reverse-proxy-scale-out</code> (<code>lab/experiments/reverse-proxy-scale-out.ts</code>)</p>
  <p class="try">Send requests through the one address. Without stickiness they spread over every instance;
  with it, this browser stays on one. Kill an instance: the others take over.</p>
  <button type="button" id="identity-send">Send 10 requests</button>
  <button type="button" id="identity-reset">Reset tally</button>
  <ul id="identity-tally" class="tally"></ul>
  <p id="identity-result" class="result" role="status"></p>
</section>

<section class="panel" id="sessions" aria-labelledby="sessions-h">
  <h2 id="sessions-h">Sessions: stateful or stateless?</h2>
  <p class="links">Code: <code>lambdas/core/sessions.ts</code>; lab: <code>npm run lab -- --only sessions-instance-loss</code> (<code>lab/experiments/sessions-instance-loss.ts</code>)</p>
  <p class="try">Visit, add to the cart, then kill the instance that served you. With Redis or signed-cookie
  sessions the cart survives; with in-memory sessions it is gone (a new session starts).
  In-memory sessions need stickiness: without it the next request lands on another instance, which
  does not know the session, so it is lost on every request, before any kill.</p>
  <label for="session-sku">Item</label> <input id="session-sku" value="A-1" maxlength="32">
  <button type="button" id="session-visit">Visit</button>
  <button type="button" id="session-add">Add to cart</button>
  <button type="button" id="session-end">End session</button>
  <p id="session-result" class="result" role="status"></p>
</section>

<section class="panel" id="cache" aria-labelledby="cache-h">
  <h2 id="cache-h">Cache-aside</h2>
  <p class="links">Code: <code>lambdas/core/cache-aside.ts</code>; lab: <code>npm run lab -- --only cache-aside</code> (<code>lab/experiments/cache-aside.ts</code>)</p>
  <p class="try">Save a profile, then read it twice: a miss (database) then a hit (Redis). Save again: the cached
  copy is invalidated, and the next read is a miss.</p>
  <label for="profile-id">Profile id</label> <input id="profile-id" value="p-1" maxlength="64">
  <button type="button" id="cache-update">Save profile</button>
  <button type="button" id="cache-read">Read profile</button>
  <ol id="cache-result" class="result lines" aria-live="polite"></ol>
</section>

<section class="panel" id="replicas" aria-labelledby="replicas-h">
  <h2 id="replicas-h">Read replicas and read-your-writes</h2>
  <p class="links">Code: <code>lambdas/core/read-replica-router.ts</code>; lab: <code>npm run lab -- --only read-replica-lag</code> (<code>lab/experiments/read-replica-lag.ts</code>)</p>
  <p class="try">Write a note (primary), then read it back. A plain read goes to a replica and may be stale while
  replication lags or is frozen; a read-your-writes read waits for a caught-up replica or uses the primary.</p>
  <label for="note-text">Note</label> <input id="note-text" value="hello" maxlength="200">
  <button type="button" id="note-write">Write note</button>
  <button type="button" id="note-read-eventual">Read (plain)</button>
  <button type="button" id="note-read-ryw">Read (read-your-writes)</button>
  <ol id="note-result" class="result lines" aria-live="polite"></ol>
</section>

<section class="panel" id="lag" aria-labelledby="lag-h">
  <h2 id="lag-h">Replication lag</h2>
  <p class="links">Code: <code>lambdas/core/replication-lag.ts</code>; lab: <code>npm run lab -- --only read-replica-lag</code> (<code>lab/experiments/read-replica-lag.ts</code>)</p>
  <p class="try">Bytes of WAL each replica has not replayed yet. Set a replay delay or freeze replication, write a
  few notes, and watch it grow; thaw and watch it fall to 0.</p>
  <button type="button" id="lag-refresh">Refresh</button>
  <label><input type="checkbox" id="lag-auto"> every 2 s</label>
  <ul id="lag-result" class="result lines"></ul>
</section>

<section class="panel" id="counters" aria-labelledby="counters-h">
  <h2 id="counters-h">Independence vs coordination</h2>
  <p class="links">Code: <code>lambdas/core/counters.ts</code>; lab: <code>npm run lab -- --only counters</code> (<code>lab/experiments/counters.ts</code>)</p>
  <p class="try">Send a burst of concurrent increments to one hot row (every writer waits for its lock) or to
  sharded rows (writers independent), and compare the time.</p>
  <label for="counter-burst">Burst</label> <input id="counter-burst" type="number" min="1" max="50" value="20" inputmode="numeric">
  <button type="button" id="counter-hot">Hot row burst</button>
  <button type="button" id="counter-sharded">Sharded burst</button>
  <ol id="counter-result" class="result lines" aria-live="polite"></ol>
</section>

<section class="panel" id="multimaster" aria-labelledby="multimaster-h">
  <h2 id="multimaster-h">Multi-master across Regions</h2>
  <p class="links">Code: <code>lambdas/core/multi-master.ts</code>; lab: <code>npm run lab -- --only multi-master</code> (<code>lab/experiments/multi-master.ts</code>)</p>
  <p class="try">Write the same item in every Region at once. With last-writer-wins both writes are acknowledged,
  one silently loses; partition the Regions first to widen the window, then heal and read.</p>
  <label for="item-id">Item id</label> <input id="item-id" value="item-1" maxlength="64">
  <button type="button" id="item-write">Write in every Region at once</button>
  <button type="button" id="item-read">Read in every Region</button>
  <p id="item-regions" class="hint"></p>
  <ol id="item-result" class="result lines" aria-live="polite"></ol>
</section>
</main>
<footer><p>Served by the app itself: the same page at <code>/</code> (Fargate tier) and <code>/lambda/</code> (Lambda tier).</p></footer>
</body>
</html>
`;
