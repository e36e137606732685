/**
 * `console/app.js`: the pattern panels. Plain ES5-style JavaScript without template literals, kept
 * as a string (see console-page.ts for why). Every call goes to a path relative to the page, so
 * the Lambda-tier copy at `/lambda/` calls `/lambda/...`. `window.PatternConsole` is what the
 * playground's control strip (controls.js) uses to add the other Regions to the multi-master panel.
 */
export const CONSOLE_SCRIPT_JS = String.raw`(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };

  /** One call to a route: never throws; a failure becomes a readable message. */
  function call(method, path, body, options) {
    var started = performance.now();
    var init = { method: method, headers: {}, cache: 'no-store', credentials: options && options.omitCookies ? 'omit' : 'same-origin' };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (res) {
      return res.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
        var result = { ok: res.ok, status: res.status, body: parsed, text: text, servedBy: res.headers.get('x-served-by'), ms: performance.now() - started };
        if (result.servedBy) noteServedBy(result.servedBy, path);
        return result;
      });
    }, function (error) {
      return { ok: false, status: 0, body: null, text: String(error && error.message || error), servedBy: null, ms: performance.now() - started };
    });
  }

  /** "503 Service Unavailable: Redis is unavailable" rather than a blank panel. */
  function describeError(res) {
    if (res.status === 0) return 'The request did not complete (network error: ' + res.text + ').';
    var b = res.body || {};
    var message = b.message || (b.error && b.error.message) || b.error || res.text || 'no details';
    var line = 'HTTP ' + res.status + ': ' + message;
    // The server's message already names the issues; add only those it does not.
    var extra = [].concat(b.problems || [], b.issues || []).map(function (i) {
      return typeof i === 'string' ? i : [i.path, i.message].filter(Boolean).join(' ');
    }).filter(function (i) { return i && String(message).indexOf(i) < 0; });
    if (extra.length) line += ' (' + extra.join('; ') + ')';
    return line;
  }

  /** The same colour for an instance on every load: from its name, not from the order seen. */
  function colourOf(name) {
    var m = /^(fargate|lambda)-(\d+)$/.exec(name || '');
    if (m) return 'c' + ((m[1] === 'lambda' ? 4 : 0) + Number(m[2]) - 1) % 8;
    var h = 0;
    for (var i = 0; i < String(name).length; i++) h = (h * 31 + String(name).charCodeAt(i)) >>> 0;
    return 'c' + h % 8;
  }

  var pageTier = '';
  /** Keeps the header's line current: which instance answered the latest request of this page. */
  function noteServedBy(name, path) {
    served[name] = (served[name] || 0) + 1;
    if (pageTier) setResult($('where'), 'This page was served through the ' + pageTier + ' tier. Latest answer: ' + name + ' (' + path.split('/')[0] + ').', false);
    if (window.PatternDiagram) window.PatternDiagram.served(name, served[name]);
  }
  var served = {};

  /** Highlights on the diagram (diagram.js) the way one request went; a no-op without it. */
  function showPath(route) { if (window.PatternDiagram) window.PatternDiagram.path(route); }

  function setResult(el, text, isError) {
    el.textContent = text;
    el.className = 'result' + (isError ? ' error' : '');
    if (isError) el.setAttribute('role', 'alert');
  }

  /** Adds a line at the bottom of a result list (oldest first, the last 8 kept). */
  function addLine(list, text, isError, instance) {
    var li = document.createElement('li');
    li.textContent = new Date().toLocaleTimeString() + '  ' + text;
    if (isError) li.className = 'error';
    if (instance) { var tag = document.createElement('span'); tag.className = 'tag ' + colourOf(instance); tag.textContent = instance; li.appendChild(tag); }
    list.appendChild(li);
    while (list.children.length > 8) list.removeChild(list.firstChild);
  }

  function on(id, handler) {
    var el = $(id);
    el.addEventListener('click', function () {
      el.disabled = true;
      Promise.resolve().then(handler).catch(function (e) { console.error(e); }).then(function () { el.disabled = false; });
    });
  }

  // Identity: the spread over instances.
  var tally = {};
  function renderTally() {
    var list = $('identity-tally');
    list.textContent = '';
    var names = Object.keys(tally).sort();
    names.forEach(function (name) {
      var li = document.createElement('li');
      li.className = 'tag ' + colourOf(name);
      li.textContent = name + ': ' + tally[name];
      list.appendChild(li);
    });
    return names;
  }
  function sendIdentity() {
    var i = 0, errors = [], answered = [];
    function next() {
      if (i++ >= 10) return Promise.resolve();
      return call('GET', 'whoami').then(function (res) {
        if (!res.ok) { errors.push(describeError(res)); return next(); }
        tally[res.body.instanceId] = (tally[res.body.instanceId] || 0) + 1;
        answered.push(res.body.instanceId);
        showPath({ kind: 'identity', instance: res.servedBy });
        return next();
      });
    }
    return next().then(function () {
      var names = renderTally();
      var distinct = answered.filter(function (n, k) { return answered.indexOf(n) === k; });
      var text = answered.length + ' of 10 answered by ' + distinct.length + ' instance(s): ' + distinct.join(', ') + '. Tally so far: ' + names.length + ' instance(s).';
      setResult($('identity-result'), errors.length ? text + ' Errors: ' + errors[0] : text, errors.length > 0);
    });
  }

  // Sessions: did the session survive a change of instance?
  var lastSession = null;
  function showSession(res) {
    var el = $('session-result');
    if (!res.ok) { setResult(el, describeError(res), true); return; }
    var s = res.body;
    var cart = (s.cart || []).map(function (l) { return l.sku + ' x' + l.quantity; }).join(', ') || 'empty';
    var verdict = '';
    if (lastSession && lastSession.instanceId !== s.instanceId) {
      verdict = s.isNew
        ? ' Session LOST: ' + s.instanceId + ' started a new session (the last one was on ' + lastSession.instanceId + ').'
        : ' Session survived the change of instance (' + lastSession.instanceId + ' -> ' + s.instanceId + ').';
    } else if (lastSession && s.isNew) {
      verdict = ' A new session started.';
    }
    var tag = s.visitorTag ? ' visitor ' + s.visitorTag + ',' : '';
    setResult(el, s.strategy + ' session,' + tag + ' visits ' + s.visits + ', cart: ' + cart + ', served by ' + s.instanceId + '.' + verdict, false);
    el.setAttribute('data-session', s.isNew ? 'new' : 'kept');
    lastSession = s;
    showPath({ kind: 'session', instance: res.servedBy, store: s.strategy });
  }
  function visit() { return call('GET', 'session').then(showSession); }
  function addToCart() {
    var sku = $('session-sku').value.trim() || 'A-1';
    return call('POST', 'session/cart', { sku: sku, quantity: 1 }).then(showSession);
  }
  function endSession() {
    return call('DELETE', 'session').then(function (res) {
      lastSession = null;
      if (!res.ok) setResult($('session-result'), describeError(res), true);
      else setResult($('session-result'), 'Session ended: the cookie is cleared; the next visit starts a new one.', false);
    });
  }

  // Cache-aside.
  function profilePath() { return 'profiles/' + encodeURIComponent($('profile-id').value.trim() || 'p-1'); }
  var hits = {};
  function readProfile() {
    return call('GET', profilePath()).then(function (res) {
      var list = $('cache-result');
      if (!res.ok) return addLine(list, res.status === 404 ? 'Not found: save the profile first.' : describeError(res), true, res.servedBy);
      var where = res.body.cache === 'hit' ? 'Redis' : res.body.cache === 'miss' ? 'PostgreSQL, now cached' : 'PostgreSQL (Redis unavailable: bypass)';
      showPath({ kind: 'cache-read', instance: res.servedBy, cache: res.body.cache });
      hits[res.body.cache] = (hits[res.body.cache] || 0) + 1;
      if (window.PatternDiagram) window.PatternDiagram.cacheRatio(hits);
      addLine(list, res.body.cache.toUpperCase() + ' in ' + Number(res.body.elapsedMs).toFixed(1) + ' ms on the server (' + where + ')', false, res.servedBy);
    });
  }
  function saveProfile() {
    var id = $('profile-id').value.trim() || 'p-1';
    return call('PUT', profilePath(), { name: 'User ' + id, email: id + '@example.com' }).then(function (res) {
      var list = $('cache-result');
      if (!res.ok) return addLine(list, describeError(res), true, res.servedBy);
      var cacheText = !res.body.invalidated
        ? 'but the cache invalidation FAILED (Redis unavailable): a copy Redis still holds can be served stale until its TTL ends'
        : res.body.created ? 'nothing was cached yet: the next read misses and fills the cache'
        : 'the cached copy, if any, was deleted: the next read misses and loads the new value';
      addLine(list, (res.body.created ? 'Created' : 'Updated') + ' on the primary; ' + cacheText, !res.body.invalidated, res.servedBy);
      showPath({ kind: 'cache-write', instance: res.servedBy, invalidated: res.body.invalidated });
    });
  }

  // Read replicas.
  var lastNoteId = null;
  function writeNote() {
    // Sent as typed: an empty note gets the server's own validation message.
    return call('POST', 'notes', { text: $('note-text').value }).then(function (res) {
      var list = $('note-result');
      if (!res.ok) return addLine(list, describeError(res), true, res.servedBy);
      lastNoteId = res.body.id;
      showPath({ kind: 'note-write', instance: res.servedBy });
      addLine(list, 'Wrote note ' + res.body.id + ' on the primary (LSN ' + res.body.lsn + ')', false, res.servedBy);
    });
  }
  function readNote(readYourWrites) {
    var list = $('note-result');
    if (lastNoteId === null) { addLine(list, 'Write a note first.', true); return Promise.resolve(); }
    // A plain read sends no cookie, so the rw_lsn cookie (HttpOnly) cannot make it stronger.
    return call('GET', 'notes/' + lastNoteId, undefined, { omitCookies: !readYourWrites }).then(function (res) {
      var label = readYourWrites ? 'read-your-writes' : 'plain';
      var b = res.body || {};
      if (b.servedBy) showPath({ kind: 'note-read', instance: res.servedBy, node: b.servedBy, reason: b.reason, stale: res.status === 404 });
      if (res.status === 404 && b.servedBy) return addLine(list, 'STALE (' + label + '): ' + b.servedBy + ' does not have note ' + lastNoteId + ' yet (reason: ' + b.reason + ')', true, res.servedBy);
      if (!res.ok) return addLine(list, describeError(res), true, res.servedBy);
      addLine(list, 'FRESH (' + label + '): note ' + lastNoteId + ' read from ' + b.servedBy + ' (reason: ' + b.reason + ')', false, res.servedBy);
    });
  }

  // Replication lag.
  /** Bytes behind, and when behind, how old the last commit it replayed is (not the lag itself). */
  function describeLag(r) {
    if (r.lagBytes === null) return 'lag unknown (not streaming)';
    if (Number(r.lagBytes) === 0) return '0 bytes behind (caught up)';
    var age = r.lagMs === null || r.lagMs === undefined ? '' : '; its last replayed commit is ' + (r.lagMs / 1000).toFixed(1) + ' s old';
    return r.lagBytes + ' bytes behind' + age;
  }
  function refreshLag() {
    return call('GET', 'replication/lag').then(function (res) {
      var list = $('lag-result');
      list.textContent = '';
      if (!res.ok) return addLine(list, describeError(res), true);
      (res.body.replicas || []).forEach(function (r) {
        var li = document.createElement('li');
        li.textContent = r.reachable ? r.name + ': ' + describeLag(r) : r.name + ': unreachable (' + r.error + ')';
        list.appendChild(li);
      });
      if (!list.children.length) addLine(list, 'No read replica is configured.', false);
    });
  }
  var lagTimer = null;
  $('lag-auto').addEventListener('change', function (e) {
    if (lagTimer) clearInterval(lagTimer);
    lagTimer = e.target.checked ? setInterval(refreshLag, 2000) : null;
  });

  /** The most requests to path in flight at one time since since, from the browser's Resource Timing. */
  function peakConcurrency(path, since) {
    if (!performance.getEntriesByType) return 0;
    var edges = [];
    performance.getEntriesByType('resource').forEach(function (e) {
      if (e.startTime < since || e.name.indexOf(path) < 0 || !e.requestStart) return;
      edges.push([e.requestStart, 1], [e.responseEnd, -1]);
    });
    edges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var now = 0, peak = 0;
    edges.forEach(function (e) { now += e[1]; peak = Math.max(peak, now); });
    return peak;
  }

  // Counters: a burst of concurrent increments.
  function burst(kind) {
    var n = Math.max(1, Math.min(50, parseInt($('counter-burst').value, 10) || 20));
    var name = 'console-' + kind;
    var started = performance.now();
    var calls = [];
    for (var i = 0; i < n; i++) calls.push(call('POST', 'counters/' + name + '/' + kind));
    return Promise.all(calls).then(function (results) {
      var ms = performance.now() - started;
      var peak = peakConcurrency('counters/' + name + '/' + kind, started);
      var failed = results.filter(function (r) { return !r.ok; });
      return call('GET', 'counters/' + name).then(function (res) {
        var list = $('counter-result');
        if (failed.length) addLine(list, failed.length + ' of ' + n + ' failed: ' + describeError(failed[0]), true);
        var total = res.ok ? (kind === 'hot' ? res.body.hot.total : res.body.sharded.total) : '?';
        if (window.PatternDiagram) window.PatternDiagram.burst(kind, ms / n);
        showPath({ kind: 'counter', instance: results[0] && results[0].servedBy });
        var concurrency = peak ? ', at most ' + peak + ' in flight at once (the browser caps connections per host)' : '';
        addLine(list, kind + ': ' + (n - failed.length) + ' increments in ' + ms.toFixed(0) + ' ms (' + (ms / n).toFixed(1) + ' ms each' + concurrency + '); total now ' + total, failed.length > 0);
      });
    });
  }

  // Multi-master: one base path per Region (the playground adds the others).
  var regions = [{ name: 'this Region', base: '' }];
  function renderRegions() {
    $('item-regions').textContent = regions.length > 1
      ? 'Regions: ' + regions.map(function (r) { return r.name; }).join(', ')
      : 'This deployment writes its own Region only (the other Regions\u2019 writers need IAM); the playground writes every Region.';
  }
  function itemPath(region) { return region.base + 'items/' + encodeURIComponent($('item-id').value.trim() || 'item-1'); }
  function writeEverywhere() {
    var list = $('item-result');
    var stamp = new Date().toLocaleTimeString();
    return Promise.all(regions.map(function (r) {
      return call('PUT', itemPath(r), { value: 'written in ' + r.name + ' at ' + stamp });
    })).then(function (results) {
      results.forEach(function (res, i) {
        if (!res.ok) return addLine(list, regions[i].name + ': ' + describeError(res), true);
        addLine(list, regions[i].name + ': acknowledged version ' + res.body.item.version, false);
        showPath({ kind: 'item-write', region: regions[i].name });
      });
    });
  }
  function readEverywhere() {
    var list = $('item-result');
    return Promise.all(regions.map(function (r) { return call('GET', itemPath(r)); })).then(function (results) {
      results.forEach(function (res, i) {
        if (!res.ok) return addLine(list, regions[i].name + ': ' + describeError(res), true);
        var c = res.body.conflict || {};
        var text = regions[i].name + ' sees "' + res.body.item.value + '"';
        if (c.lost) text += ' - CONFLICT: this Region\u2019s write "' + c.ourWrite.value + '" was lost (last writer wins)';
        if (c.lost) showPath({ kind: 'item-lost', region: regions[i].name });
        addLine(list, text, !!c.lost);
      });
    });
  }

  on('reset-all', function () {
    tally = {}; hits = {}; served = {}; lastSession = null; lastNoteId = null;
    renderTally();
    ['identity-result', 'session-result'].forEach(function (id) { $(id).textContent = ''; });
    ['cache-result', 'note-result', 'lag-result', 'counter-result', 'item-result'].forEach(function (id) { $(id).textContent = ''; });
    if (window.PatternDiagram) window.PatternDiagram.reset();
    return window.PatternControls ? window.PatternControls.reset() : undefined;
  });
  on('identity-send', sendIdentity);
  on('identity-reset', function () { tally = {}; renderTally(); setResult($('identity-result'), 'Tally reset.', false); });
  on('session-visit', visit);
  on('session-add', addToCart);
  on('session-end', endSession);
  on('cache-read', readProfile);
  on('cache-update', saveProfile);
  on('note-write', writeNote);
  on('note-read-eventual', function () { return readNote(false); });
  on('note-read-ryw', function () { return readNote(true); });
  on('lag-refresh', refreshLag);
  on('counter-hot', function () { return burst('hot'); });
  on('counter-sharded', function () { return burst('sharded'); });
  on('item-write', writeEverywhere);
  on('item-read', readEverywhere);
  renderRegions();

  call('GET', 'whoami').then(function (res) {
    if (res.ok) pageTier = res.body.tier;
    setResult($('where'), res.ok
      ? 'This page was served through the ' + res.body.tier + ' tier; instance ' + res.body.instanceId + (res.body.region ? ' in ' + res.body.region : '') + ' answered.'
      : 'whoami failed: ' + describeError(res), !res.ok);
  });

  window.PatternConsole = {
    setRegions: function (list) { regions = list; renderRegions(); },
    call: call,
    describeError: describeError,
  };
})();
`;
