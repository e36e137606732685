/**
 * `console/diagram.js`: the live architecture diagram and the small plots, drawn by the page as
 * inline SVG (DOM calls, no markup strings, no inline style, so the strict CSP holds). Plain ES5
 * like app.js (see console-page.ts for why a string).
 *
 * It draws from what the app already reports: the playground's control state when there is one
 * (instances with their HAProxy state, Redis, replication, partition, Regions), otherwise only what
 * this page saw (instances from `x-served-by`, replicas from `GET replication/lag`, its own Region).
 * `window.PatternDiagram` is what app.js and controls.js call: `update(state)`, `served(name, n)`,
 * `path(route)`, `lag(report)`, `burst(kind, msEach)`, `cacheRatio(counts)`, `reset()`.
 * Every state is said in words too (not colour alone), and `#diagram-text` repeats the picture as
 * a list for screen readers.
 */
export const CONSOLE_DIAGRAM_JS = String.raw`(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var NS = 'http://www.w3.org/2000/svg';
  var model = { playground: false, instances: [], redis: 'unknown', replicas: [], frozen: false, delayMs: 0, partitioned: false, regions: [], served: {} };
  var lagHistory = {}; // replica -> [{ t, bytes, ms }]
  var bursts = [];     // { kind, msEach }
  var cache = {};      // hit/miss/bypass counts
  var lastRoute = null;
  var HISTORY_MS = 5 * 60 * 1000;

  function el(name, attrs, parent, text) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, String(attrs[k]));
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  /** A labelled box; id lets a route highlight it, state becomes a class and a word. */
  function box(svg, id, x, y, w, h, title, detail, state) {
    var g = el('g', { id: 'dg-' + id, 'class': 'node ' + (state || ''), 'data-state': state || '' }, svg);
    el('rect', { x: x, y: y, width: w, height: h, rx: 6 }, g);
    el('text', { x: x + 8, y: y + 17, 'class': 'title' }, g, title);
    if (detail) el('text', { x: x + 8, y: y + 33, 'class': 'detail' }, g, detail);
    return { x: x, y: y, w: w, h: h };
  }

  function link(svg, id, a, b, state, label) {
    var x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
    var g = el('g', { id: 'dl-' + id, 'class': 'link ' + (state || '') }, svg);
    el('path', { d: 'M' + x1 + ' ' + y1 + ' C' + (x1 + 40) + ' ' + y1 + ' ' + (x2 - 40) + ' ' + y2 + ' ' + x2 + ' ' + y2 }, g);
    if (label) el('text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, 'class': 'detail', 'text-anchor': 'middle' }, g, label);
  }

  function instanceState(inst) {
    var s = String(inst.status || '').toUpperCase();
    if (s.indexOf('DRAIN') === 0 || s === 'NOLB') return 'draining';
    if (s.indexOf('UP') === 0) return 'up';
    if (s === 'SEEN') return 'seen';
    return 'down';
  }

  function lagOf(name) {
    var h = lagHistory[name];
    return h && h.length ? h[h.length - 1] : null;
  }

  function draw() {
    var svg = $('diagram-svg');
    if (!svg) return;
    while (svg.lastChild && svg.lastChild.nodeName !== 'title' && svg.lastChild.nodeName !== 'desc') svg.removeChild(svg.lastChild);
    var rowH = 44, instances = model.instances;
    var height = Math.max(40 + instances.length * rowH, 40 + (model.replicas.length + 2) * rowH, 40 + model.regions.length * 60) + 16;
    svg.setAttribute('viewBox', '0 0 960 ' + height);
    var lb = box(svg, 'lb', 10, height / 2 - 25, 130, 50, 'Load balancer', model.playground ? 'HAProxy (the ALB)' : 'ALB');
    var boxes = {};
    instances.forEach(function (inst, i) {
      var state = instanceState(inst);
      var n = model.served[inst.name] || 0;
      boxes[inst.name] = box(svg, inst.name, 200, 20 + i * rowH, 190, 38, inst.name + ' (' + inst.tier + ')', state.toUpperCase() + ', ' + n + ' request' + (n === 1 ? '' : 's'), state);
      link(svg, 'lb-' + inst.name, lb, boxes[inst.name], state === 'down' ? 'broken' : '');
    });
    var redisState = model.redis === 'down' ? 'down' : model.redis === 'reconnecting' ? 'draining' : 'up';
    var redis = box(svg, 'redis', 470, 20, 170, 38, 'Redis / Valkey', model.redis === 'unknown' ? 'cache, sessions' : model.redis.toUpperCase(), redisState);
    var primary = box(svg, 'primary', 470, 20 + rowH, 170, 38, 'PostgreSQL primary', 'writes, read-your-writes', 'up');
    var replicas = {};
    model.replicas.forEach(function (name, i) {
      var lag = lagOf(name);
      var y = 20 + (i + 2) * rowH;
      var words = lag === null ? 'lag not measured yet' : lag.bytes === null ? 'not streaming' : lag.bytes === 0 ? 'caught up' : formatBytes(lag.bytes) + ' behind';
      replicas[name] = box(svg, name, 470, y, 170, 38, name, words, lag && lag.bytes > 0 ? 'behind' : 'up');
      // The lag bar: log scale, 1 KiB to 16 MiB across its track, with its figure written beside it.
      var frac = lag && lag.bytes > 0 ? Math.min(1, Math.max(0.04, Math.log(lag.bytes / 512) / Math.log(32768))) : 0;
      var bar = el('g', { id: 'dg-lagbar-' + name, 'class': 'lagbar', 'data-bytes': lag && lag.bytes !== null ? lag.bytes : '' }, svg);
      el('rect', { x: 648, y: y + 14, width: 60, height: 10, 'class': 'track' }, bar);
      el('rect', { x: 648, y: y + 14, width: (60 * frac).toFixed(1), height: 10, 'class': 'fill' }, bar);
      link(svg, 'primary-' + name, { x: 470, y: primary.y, w: 0, h: primary.h }, { x: 470, y: y, w: 0, h: 38 }, model.frozen ? 'held' : '', null);
    });
    instances.forEach(function (inst) {
      if (inst.tier === 'writer') return;
      link(svg, inst.name + '-redis', boxes[inst.name], redis, '');
      link(svg, inst.name + '-primary', boxes[inst.name], primary, '');
      model.replicas.forEach(function (r) { link(svg, inst.name + '-' + r, boxes[inst.name], replicas[r], ''); });
    });
    var regionBoxes = model.regions.map(function (r, i) {
      var b = box(svg, 'region-' + r.name, 750, 20 + i * 70, 200, 44, 'DynamoDB ' + r.name, i === 0 ? 'this stack\u2019s Region' : 'replica Region', 'up');
      // Along the bottom, under the instances and databases, to the Region's regional writer.
      var g = el('g', { id: 'dl-lb-region-' + r.name, 'class': 'link' }, svg);
      el('path', { d: 'M75 ' + (lb.y + lb.h) + ' V' + (height - 6 - i * 5) + ' H' + (730 - i * 8) + ' V' + (b.y + b.h / 2) + ' H750' }, g);
      return b;
    });
    if (regionBoxes.length > 1) {
      var a = regionBoxes[0], b = regionBoxes[regionBoxes.length - 1];
      var g = el('g', { id: 'dl-replication', 'class': 'link ' + (model.partitioned ? 'held' : 'flowing') }, svg);
      el('path', { d: 'M' + (a.x + a.w - 12) + ' ' + (a.y + a.h) + ' L' + (b.x + b.w - 12) + ' ' + b.y }, g);
      el('text', { x: a.x + a.w - 16, y: (a.y + a.h + b.y) / 2 + 4, 'text-anchor': 'end', 'class': 'detail' }, g, model.partitioned ? 'replication HELD' : 'replication flowing');
    }
    if (lastRoute) highlight(lastRoute);
    describe();
  }

  function formatBytes(n) {
    if (n >= 1048576) return (n / 1048576).toFixed(1) + ' MiB';
    if (n >= 1024) return (n / 1024).toFixed(1) + ' KiB';
    return n + ' B';
  }

  /** The nodes and links one request touched, and the sentence that says so. */
  function routeOf(r) {
    var inst = r.instance;
    switch (r.kind) {
      case 'identity': return { nodes: [inst], links: ['lb-' + inst], text: inst + ' answered' };
      case 'session': return r.store === 'redis'
        ? { nodes: [inst, 'redis'], links: ['lb-' + inst, inst + '-redis'], text: inst + ' served the session, kept in Redis' }
        : { nodes: [inst], links: ['lb-' + inst], text: inst + ' served the session, kept ' + (r.store === 'cookie' ? 'in the signed cookie' : 'in its own memory') };
      case 'cache-read':
        if (r.cache === 'hit') return { nodes: [inst, 'redis'], links: ['lb-' + inst, inst + '-redis'], text: inst + ': cache HIT in Redis' };
        return { nodes: [inst, 'redis', 'primary'], links: ['lb-' + inst, inst + '-redis', inst + '-primary'],
          text: inst + (r.cache === 'miss' ? ': cache MISS in Redis, then PostgreSQL, then cached' : ': Redis unavailable (bypass), PostgreSQL alone') };
      case 'cache-write': return { nodes: [inst, 'primary', 'redis'], links: ['lb-' + inst, inst + '-primary', inst + '-redis'],
        text: inst + ' wrote the primary, then ' + (r.invalidated ? 'deleted the cached copy in Redis' : 'FAILED to invalidate Redis (stale-cache risk)') };
      case 'note-write': return { nodes: [inst, 'primary'], links: ['lb-' + inst, inst + '-primary'], text: inst + ' wrote the note on the primary' };
      case 'note-read': return { nodes: [inst, r.node], links: ['lb-' + inst, inst + '-' + r.node],
        text: inst + ' read from ' + r.node + ' (' + r.reason + ')' + (r.stale ? ': STALE, not there yet' : '') };
      case 'counter': return { nodes: [inst, 'primary'], links: ['lb-' + inst, inst + '-primary'], text: 'increments on the primary (first answered by ' + inst + ')' };
      case 'item-write': return { nodes: ['lb', 'region-' + r.region], links: ['lb-region-' + r.region], text: r.region + ' wrote the item' };
      case 'item-lost': return { nodes: ['region-' + r.region], links: ['replication'], lost: true, text: r.region + '\u2019s write was LOST (last writer wins)' };
    }
    return { nodes: [], links: [], text: '' };
  }

  function highlight(r) {
    var route = routeOf(r);
    var svg = $('diagram-svg');
    Array.prototype.forEach.call(svg.querySelectorAll('.hl, .lost'), function (n) { n.classList.remove('hl'); n.classList.remove('lost'); });
    route.nodes.concat(['lb']).forEach(function (id) { var n = $('dg-' + id); if (n) n.classList.add(route.lost && id !== 'lb' ? 'lost' : 'hl'); });
    route.links.forEach(function (id) { var n = $('dl-' + id); if (n) n.classList.add('hl'); });
    $('diagram-path').textContent = route.text ? 'Last request: ' + route.text + '.' : '';
    $('diagram-path').setAttribute('data-nodes', route.nodes.join(' '));
  }

  /** The same picture in words, for screen readers and for anyone who cannot tell the colours. */
  function describe() {
    var list = $('diagram-text');
    var lines = ['Load balancer in front of ' + model.instances.length + ' instance(s).'];
    model.instances.forEach(function (i) { lines.push(i.name + ' (' + i.tier + '): ' + instanceState(i) + ', ' + (model.served[i.name] || 0) + ' requests from this page.'); });
    lines.push('Redis: ' + model.redis + '.');
    lines.push('PostgreSQL primary; replication ' + (model.frozen ? 'frozen' : 'flowing') + (model.delayMs ? ', replay delay ' + model.delayMs + ' ms' : '') + '.');
    model.replicas.forEach(function (name) {
      var lag = lagOf(name);
      lines.push(name + ': ' + (lag === null || lag.bytes === null ? 'lag unknown' : formatBytes(lag.bytes) + ' behind') + '.');
    });
    model.regions.forEach(function (r) { lines.push('DynamoDB Region ' + r.name + '.'); });
    if (model.regions.length > 1) lines.push('Replication between Regions: ' + (model.partitioned ? 'held (partitioned)' : 'flowing') + '.');
    list.textContent = '';
    lines.forEach(function (t) { var li = document.createElement('li'); li.textContent = t; list.appendChild(li); });
  }

  // Plots: small, labelled, units on the axes, a dash pattern and a label per series (not colour alone).
  function plotFrame(id, title, width, height) {
    var svg = $(id);
    svg.textContent = '';
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    el('title', {}, svg, title);
    return svg;
  }

  function lagPlot(field, id, unit) {
    var svg = plotFrame(id, 'Replication lag per replica over the last 5 minutes, in ' + unit, 300, 130);
    var now = Date.now(), max = 1, oldest = now;
    Object.keys(lagHistory).forEach(function (n) { lagHistory[n].forEach(function (p) { oldest = Math.min(oldest, p.t); if (p[field] !== null) max = Math.max(max, p[field]); }); });
    // The time axis spans what was recorded (at least 30 s, at most 5 min), so a young page is readable.
    var span = Math.min(HISTORY_MS, Math.max(30000, now - oldest));
    // The top of the axis, in its unit (the caption says what is measured).
    el('text', { x: 4, y: 12, 'class': 'axis' }, svg, field === 'bytes' ? formatBytes(max) : (max / 1000).toFixed(1) + ' s');
    el('text', { x: 4, y: 124, 'class': 'axis' }, svg, '-' + Math.round(span / 1000) + ' s');
    el('text', { x: 296, y: 124, 'class': 'axis', 'text-anchor': 'end' }, svg, 'now');
    el('line', { x1: 40, y1: 110, x2: 296, y2: 110, 'class': 'grid' }, svg);
    Object.keys(lagHistory).sort().forEach(function (name, k) {
      var pts = lagHistory[name].filter(function (p) { return p[field] !== null; }).map(function (p) {
        return (40 + 256 * (1 - (now - p.t) / span)).toFixed(1) + ',' + (110 - 90 * p[field] / max).toFixed(1);
      });
      if (!pts.length) return;
      el('polyline', { points: pts.join(' '), 'class': 'series s' + k }, svg);
      // A legend line in the series' own dash pattern, then its name: readable without colour.
      el('line', { x1: 200, y1: 9 + k * 11, x2: 222, y2: 9 + k * 11, 'class': 'series s' + k }, svg);
      el('text', { x: 226, y: 12 + k * 11, 'class': 'axis' }, svg, name);
    });
  }

  function barPlot(id, title, unit, bars) {
    var svg = plotFrame(id, title, 300, 24 + bars.length * 20);
    var max = Math.max.apply(null, [1].concat(bars.map(function (b) { return b.value; })));
    el('text', { x: 4, y: 12, 'class': 'axis' }, svg, unit);
    bars.forEach(function (b, i) {
      var y = 20 + i * 20;
      el('text', { x: 4, y: y + 12, 'class': 'axis' }, svg, b.label);
      el('rect', { x: 120, y: y + 2, width: (130 * b.value / max).toFixed(1), height: 12, 'class': 'bar s' + (b.series || 0) }, svg);
      el('text', { x: 124 + 130 * b.value / max, y: y + 12, 'class': 'axis' }, svg, b.text);
    });
  }

  function plots() {
    if (!$('plot-lag-bytes')) return;
    lagPlot('bytes', 'plot-lag-bytes', 'bytes of WAL behind');
    lagPlot('ms', 'plot-lag-ms', 'age of last replayed commit');
    barPlot('plot-requests', 'Requests per instance from this page', 'requests', Object.keys(model.served).sort().map(function (n) {
      return { label: n, value: model.served[n], text: String(model.served[n]) };
    }));
    barPlot('plot-counters', 'Milliseconds per increment, hot row versus sharded, by burst', 'ms per increment', bursts.slice(-4).map(function (b, i) {
      return { label: (i + 1) + '. ' + b.kind, value: b.msEach, text: b.msEach.toFixed(1) + ' ms', series: b.kind === 'hot' ? 1 : 0 };
    }));
    var reads = (cache.hit || 0) + (cache.miss || 0) + (cache.bypass || 0);
    barPlot('plot-cache', 'Cache hit ratio of this page\u2019s profile reads', 'share of reads', ['hit', 'miss', 'bypass'].map(function (k, i) {
      var v = reads ? (cache[k] || 0) / reads : 0;
      return { label: k, value: v, text: Math.round(v * 100) + ' % (' + (cache[k] || 0) + ')', series: i };
    }));
  }

  function refreshLag() {
    return fetch('replication/lag', { cache: 'no-store' }).then(function (res) { return res.ok ? res.json() : null; }, function () { return null; })
      .then(function (report) { if (report) window.PatternDiagram.lag(report); });
  }

  window.PatternDiagram = {
    update: function (s) {
      model.playground = true;
      model.instances = s.instances;
      model.redis = s.redis;
      model.frozen = s.replication.frozen;
      model.delayMs = s.replication.delayMs;
      model.partitioned = s.partitioned;
      model.regions = s.regions;
      draw();
    },
    served: function (name, n) {
      model.served[name] = n;
      if (!model.playground && !model.instances.some(function (i) { return i.name === name; })) {
        model.instances.push({ name: name, tier: /^lambda/.test(name) ? 'lambda' : 'fargate', status: 'SEEN' });
      }
      draw();
      plots();
    },
    path: function (route) { lastRoute = route; highlight(route); },
    lag: function (report) {
      var now = Date.now();
      model.replicas = (report.replicas || []).map(function (r) { return r.name; });
      (report.replicas || []).forEach(function (r) {
        var h = lagHistory[r.name] = (lagHistory[r.name] || []).filter(function (p) { return now - p.t < HISTORY_MS; });
        h.push({ t: now, bytes: r.reachable && r.lagBytes !== null ? Number(r.lagBytes) : null, ms: r.reachable && r.lagMs !== null && r.lagMs !== undefined ? Number(r.lagMs) : null });
      });
      draw();
      plots();
    },
    burst: function (kind, msEach) { bursts.push({ kind: kind, msEach: msEach }); plots(); },
    cacheRatio: function (counts) { cache = counts; plots(); },
    reset: function () { model.served = {}; lagHistory = {}; bursts = []; cache = {}; lastRoute = null; $('diagram-path').textContent = ''; draw(); plots(); },
  };
  if (!model.regions.length) model.regions = [{ name: 'this Region', base: '' }];
  draw();
  plots();
  refreshLag();
  setInterval(function () { if (!document.hidden) refreshLag(); }, 2000);
})();
`;
