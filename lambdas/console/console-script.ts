/**
 * `console/app.js`: the pattern panels. Plain ES5-style JavaScript without template literals, kept
 * as a string (see console-page.ts for why). Every call goes to a path relative to the page, so
 * the Lambda-tier copy at `/lambda/` calls `/lambda/...`. `window.PatternConsole` is what the
 * playground's control strip (controls.js) uses to add the other Regions to the multi-master panel.
 */
export const CONSOLE_SCRIPT_JS = String.raw`(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var palette = {};

  /** One call to a route: never throws; a failure becomes a readable message. */
  function call(method, path, body, options) {
    var started = performance.now();
    var init = { method: method, headers: {}, cache: 'no-store', credentials: options && options.omitCookies ? 'omit' : 'same-origin' };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (res) {
      return res.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
        return { ok: res.ok, status: res.status, body: parsed, text: text, servedBy: res.headers.get('x-served-by'), ms: performance.now() - started };
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
    if (b.problems) line += ' (' + b.problems.join('; ') + ')';
    if (b.issues) line += ' (' + b.issues.map(function (i) { return (i.path || '') + ' ' + (i.message || ''); }).join('; ') + ')';
    return line;
  }

  function colourOf(name) {
    if (!(name in palette)) palette[name] = Object.keys(palette).length % 8;
    return 'c' + palette[name];
  }

  function setResult(el, text, isError) {
    el.textContent = text;
    el.className = 'result' + (isError ? ' error' : '');
    if (isError) el.setAttribute('role', 'alert');
  }

  /** Adds a line at the top of a result list (newest first, at most 8). */
  function addLine(list, text, isError, instance) {
    var li = document.createElement('li');
    li.textContent = new Date().toLocaleTimeString() + '  ' + text;
    if (isError) li.className = 'error';
    if (instance) { var tag = document.createElement('span'); tag.className = 'tag ' + colourOf(instance); tag.textContent = instance; li.appendChild(tag); }
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 8) list.removeChild(list.lastChild);
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
  function readProfile() {
    return call('GET', profilePath()).then(function (res) {
      var list = $('cache-result');
      if (!res.ok) return addLine(list, res.status === 404 ? 'Not found: save the profile first.' : describeError(res), true, res.servedBy);
      var where = res.body.cache === 'hit' ? 'Redis' : res.body.cache === 'miss' ? 'PostgreSQL, now cached' : 'PostgreSQL (Redis unavailable: bypass)';
      addLine(list, res.body.cache.toUpperCase() + ' in ' + Number(res.body.elapsedMs).toFixed(1) + ' ms on the server (' + where + ')', false, res.servedBy);
    });
  }
  function saveProfile() {
    var id = $('profile-id').value.trim() || 'p-1';
    return call('PUT', profilePath(), { name: 'User ' + id, email: id + '@example.com' }).then(function (res) {
      var list = $('cache-result');
      if (!res.ok) return addLine(list, describeError(res), true, res.servedBy);
      addLine(list, (res.body.created ? 'Created' : 'Updated') + ' on the primary; cached copy ' + (res.body.invalidated ? 'invalidated' : 'not present'), false, res.servedBy);
    });
  }

  // Read replicas.
  var lastNoteId = null;
  function writeNote() {
    return call('POST', 'notes', { text: $('note-text').value || 'hello' }).then(function (res) {
      var list = $('note-result');
      if (!res.ok) return addLine(list, describeError(res), true, res.servedBy);
      lastNoteId = res.body.id;
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
      if (res.status === 404 && b.servedBy) return addLine(list, 'STALE (' + label + '): ' + b.servedBy + ' does not have note ' + lastNoteId + ' yet (reason: ' + b.reason + ')', true, res.servedBy);
      if (!res.ok) return addLine(list, describeError(res), true, res.servedBy);
      addLine(list, 'FRESH (' + label + '): note ' + lastNoteId + ' read from ' + b.servedBy + ' (reason: ' + b.reason + ')', false, res.servedBy);
    });
  }

  // Replication lag.
  function refreshLag() {
    return call('GET', 'replication/lag').then(function (res) {
      var list = $('lag-result');
      list.textContent = '';
      if (!res.ok) return addLine(list, describeError(res), true);
      (res.body.replicas || []).forEach(function (r) {
        var li = document.createElement('li');
        li.textContent = r.reachable
          ? r.name + ': ' + (r.lagBytes === null ? 'unknown' : String(r.lagBytes)) + ' bytes behind' + (r.lagMs === null || r.lagMs === undefined ? '' : ', ' + r.lagMs + ' ms')
          : r.name + ': unreachable (' + r.error + ')';
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

  // Counters: a burst of concurrent increments.
  function burst(kind) {
    var n = Math.max(1, Math.min(50, parseInt($('counter-burst').value, 10) || 20));
    var name = 'console-' + kind;
    var started = performance.now();
    var calls = [];
    for (var i = 0; i < n; i++) calls.push(call('POST', 'counters/' + name + '/' + kind));
    return Promise.all(calls).then(function (results) {
      var ms = performance.now() - started;
      var failed = results.filter(function (r) { return !r.ok; });
      return call('GET', 'counters/' + name).then(function (res) {
        var list = $('counter-result');
        if (failed.length) addLine(list, failed.length + ' of ' + n + ' failed: ' + describeError(failed[0]), true);
        var total = res.ok ? (kind === 'hot' ? res.body.hot.total : res.body.sharded.total) : '?';
        addLine(list, kind + ': ' + (n - failed.length) + ' increments in ' + ms.toFixed(0) + ' ms (' + (ms / n).toFixed(1) + ' ms each); total now ' + total, failed.length > 0);
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
        addLine(list, text, !!c.lost);
      });
    });
  }

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
