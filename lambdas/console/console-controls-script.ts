/**
 * `console/controls.js`: the playground's control strip. It asks `/_playground/state` (a path only
 * the playground's HAProxy routes, to the control API on 127.0.0.1); on a deployed stack that
 * answers 404 and the strip stays hidden. Actions are POSTed as JSON with a custom header, which
 * a cross-site form or image cannot send (a cross-origin page would need a CORS preflight, which
 * the control API never grants).
 */
export const CONSOLE_CONTROLS_JS = String.raw`(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var BASE = '/_playground/';
  var state = null;

  function getState() {
    return fetch(BASE + 'state', { cache: 'no-store' }).then(function (res) {
      if (!res.ok) return null;
      return res.json().then(function (b) { return b && b.playground === true ? b : null; }, function () { return null; });
    }, function () { return null; });
  }

  function act(body) {
    return fetch(BASE + 'actions', {
      method: 'POST',
      cache: 'no-store',
      headers: { 'content-type': 'application/json', 'x-playground-control': '1' },
      body: JSON.stringify(body),
    }).then(function (res) {
      return res.json().then(function (b) { return b; }, function () { return { ok: false, message: 'HTTP ' + res.status }; });
    }, function (e) { return { ok: false, message: 'control API unreachable: ' + e.message }; })
      .then(function (reply) { return refresh().then(function () { return reply; }); });
  }

  function renderLog(entries) {
    var list = $('ctl-log');
    if (list.children.length === entries.length) return;
    list.textContent = '';
    entries.slice().reverse().forEach(function (e) {
      var li = document.createElement('li');
      li.textContent = new Date(e.at).toLocaleTimeString() + '  ' + e.action + ': ' + e.message;
      if (!e.ok) li.className = 'error';
      list.appendChild(li);
    });
  }

  function instanceRow(inst) {
    var row = document.createElement('div');
    row.className = 'instance';
    var label = document.createElement('span');
    label.textContent = inst.name + ': ' + inst.status;
    label.className = 'tag ' + (inst.status === 'UP' ? 'up' : 'down');
    row.appendChild(label);
    ['kill', 'restart'].forEach(function (verb) {
      var b = document.createElement('button');
      b.type = 'button';
      b.id = 'ctl-' + verb + '-' + inst.name;
      b.textContent = verb === 'kill' ? 'Kill' : 'Restart';
      b.setAttribute('aria-label', (verb === 'kill' ? 'Kill ' : 'Restart ') + inst.name);
      b.addEventListener('click', function () { run(b, { action: verb, tier: inst.tier, instance: inst.name }); });
      row.appendChild(b);
    });
    return row;
  }

  function render(s) {
    var sticky = $('ctl-sticky');
    sticky.textContent = 'Stickiness: ' + (s.sticky ? 'on' : 'off');
    sticky.setAttribute('aria-pressed', String(s.sticky));
    // Rebuilt only when something changed, so that keyboard focus survives the periodic refresh.
    var key = JSON.stringify(s.instances);
    var box = $('ctl-instances');
    if (box.getAttribute('data-key') !== key) {
      box.setAttribute('data-key', key);
      box.textContent = '';
      s.instances.forEach(function (inst) { box.appendChild(instanceRow(inst)); });
    }
    // Only when the store changed: the periodic refresh must not undo a choice not yet applied.
    var select = $('ctl-session-store');
    if (select.getAttribute('data-applied') !== s.sessionStore) {
      select.value = s.sessionStore;
      select.setAttribute('data-applied', s.sessionStore);
    }
    // The replay delay in force, not the field's default, after a reload (unless being edited).
    var delay = $('ctl-delay-ms');
    if (delay.getAttribute('data-applied') !== String(s.replication.delayMs) && document.activeElement !== delay) {
      delay.value = String(s.replication.delayMs);
      delay.setAttribute('data-applied', String(s.replication.delayMs));
    }
    $('ctl-state').textContent = 'Redis ' + s.redis + '; replication ' + (s.replication.frozen ? 'FROZEN' : 'flowing') +
      ', replay delay ' + s.replication.delayMs + ' ms; Regions ' + (s.partitioned ? 'PARTITIONED' : 'connected') +
      '; session store ' + s.sessionStore + '.';
    renderLog(s.log);
    if (window.PatternConsole) window.PatternConsole.setRegions(s.regions);
    if (window.PatternDiagram) window.PatternDiagram.update(s);
  }

  function refresh() {
    return getState().then(function (s) {
      if (s === null) return;
      state = s;
      $('controls').hidden = false;
      render(s);
    });
  }

  function run(button, body) {
    button.disabled = true;
    return act(body).then(function () { button.disabled = false; });
  }

  function bind(id, body) {
    $(id).addEventListener('click', function () { run($(id), typeof body === 'function' ? body() : body); });
  }

  bind('ctl-sticky', function () { return { action: 'sticky', on: !(state && state.sticky) }; });
  bind('ctl-add-fargate', { action: 'add', tier: 'fargate' });
  bind('ctl-add-lambda', { action: 'add', tier: 'lambda' });
  bind('ctl-session-apply', function () { return { action: 'session-store', store: $('ctl-session-store').value }; });
  bind('ctl-delay-set', function () { return { action: 'replay-delay', ms: Number($('ctl-delay-ms').value) }; });
  bind('ctl-freeze', { action: 'freeze-replication' });
  bind('ctl-thaw', { action: 'thaw-replication' });
  bind('ctl-hold', { action: 'hold-replicator' });
  bind('ctl-release', { action: 'release-replicator' });
  bind('ctl-redis-stop', { action: 'redis', running: false });
  bind('ctl-redis-start', { action: 'redis', running: true });

  /** Undoes every control, one action at a time, each logged as usual. */
  function resetControls() {
    if (!state) return Promise.resolve();
    var s = state;
    var steps = [];
    if (s.sticky) steps.push({ action: 'sticky', on: false });
    if (s.replication.frozen) steps.push({ action: 'thaw-replication' });
    if (s.replication.delayMs) steps.push({ action: 'replay-delay', ms: 0 });
    if (s.partitioned) steps.push({ action: 'release-replicator' });
    if (s.redis === 'down') steps.push({ action: 'redis', running: true });
    s.instances.forEach(function (i) { if (i.status !== 'UP' && i.status.indexOf('UP') !== 0) steps.push({ action: 'restart', tier: i.tier, instance: i.name }); });
    return steps.reduce(function (p, step) { return p.then(function () { return act(step); }); }, Promise.resolve());
  }
  window.PatternControls = { reset: resetControls };

  // Instances change state on their own (a killed one turns DOWN after a health check or two).
  refresh().then(function () { if (state) setInterval(refresh, 2000); });
})();
`;
