/**
 * The panels of the data tier: read replicas and read-your-writes, replication lag, hot row versus
 * sharded counters, and multi-master across Regions.
 */
import { call, describeError } from './api-call';
import type { CounterReading, ItemReadResult, ItemWriteResult, NoteReadResponse, NoteWriteResponse, RegionBase, ReplicaLagJson, ReplicationLagResponse } from './api-types';
import { diagram } from './diagram';
import { addLine, byId, onClick } from './dom';

// Read replicas.
let lastNoteId: string | null = null;

function writeNote(): Promise<void> {
  // Sent as typed: an empty note gets the server's own validation message.
  return call<NoteWriteResponse>('POST', 'notes', { text: byId<HTMLInputElement>('note-text').value }).then((res) => {
    const list = byId('note-result');
    if (!res.ok) return addLine(list, describeError(res), true, res.servedBy);
    lastNoteId = res.body.id;
    diagram.path({ kind: 'note-write', instance: res.servedBy });
    addLine(list, 'Wrote note ' + res.body.id + ' on the primary (LSN ' + res.body.lsn + ')', false, res.servedBy);
  });
}

function readNote(readYourWrites: boolean): Promise<void> {
  const list = byId('note-result');
  if (lastNoteId === null) {
    addLine(list, 'Write a note first.', true);
    return Promise.resolve();
  }
  const id = lastNoteId;
  // A plain read sends no cookie, so the rw_lsn cookie (HttpOnly) cannot make it stronger.
  return call<NoteReadResponse>('GET', 'notes/' + id, undefined, { omitCookies: !readYourWrites }).then((res) => {
    const label = readYourWrites ? 'read-your-writes' : 'plain';
    // A 404 from a replica carries the same two fields as a success.
    const b = (res.body || {}) as Partial<NoteReadResponse>;
    if (b.servedBy) diagram.path({ kind: 'note-read', instance: res.servedBy, node: b.servedBy, reason: String(b.reason), stale: res.status === 404 });
    if (res.status === 404 && b.servedBy) return addLine(list, 'STALE (' + label + '): ' + b.servedBy + ' does not have note ' + id + ' yet (reason: ' + b.reason + ')', true, res.servedBy);
    if (!res.ok) return addLine(list, describeError(res), true, res.servedBy);
    addLine(list, 'FRESH (' + label + '): note ' + id + ' read from ' + b.servedBy + ' (reason: ' + b.reason + ')', false, res.servedBy);
  });
}

// Replication lag.
/** Bytes behind, and when behind, how old the last commit it replayed is (not the lag itself). */
/** A replica that answered (`reachable` is a plain boolean in the route's JSON type, so it does not narrow). */
type ReachableLag = Extract<ReplicaLagJson, { readonly error?: undefined }>;

function describeLag(r: ReachableLag): string {
  if (r.lagBytes === null) return 'lag unknown (not streaming)';
  if (Number(r.lagBytes) === 0) return '0 bytes behind (caught up)';
  const age = r.lagMs === null || r.lagMs === undefined ? '' : '; its last replayed commit is ' + (r.lagMs / 1000).toFixed(1) + ' s old';
  return r.lagBytes + ' bytes behind' + age;
}

function refreshLag(): Promise<void> {
  return call<ReplicationLagResponse>('GET', 'replication/lag').then((res) => {
    const list = byId('lag-result');
    list.textContent = '';
    if (!res.ok) return addLine(list, describeError(res), true);
    (res.body.replicas || []).forEach((r) => {
      const li = document.createElement('li');
      li.textContent = r.reachable ? r.name + ': ' + describeLag(r as ReachableLag) : r.name + ': unreachable (' + r.error + ')';
      list.appendChild(li);
    });
    if (!list.children.length) addLine(list, 'No read replica is configured.', false);
  });
}

/** The most requests to path in flight at one time since `since`, from the browser's Resource Timing. */
function peakConcurrency(path: string, since: number): number {
  if (!performance.getEntriesByType) return 0;
  const edges: Array<[number, number]> = [];
  (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).forEach((e) => {
    if (e.startTime < since || e.name.indexOf(path) < 0 || !e.requestStart) return;
    edges.push([e.requestStart, 1], [e.responseEnd, -1]);
  });
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  edges.forEach((e) => {
    now += e[1];
    peak = Math.max(peak, now);
  });
  return peak;
}

// Counters: a burst of concurrent increments.
function burst(kind: 'hot' | 'sharded'): Promise<void> {
  const n = Math.max(1, Math.min(50, parseInt(byId<HTMLInputElement>('counter-burst').value, 10) || 20));
  const name = 'console-' + kind;
  const started = performance.now();
  const calls = [];
  for (let i = 0; i < n; i++) calls.push(call('POST', 'counters/' + name + '/' + kind));
  return Promise.all(calls).then((results) => {
    const ms = performance.now() - started;
    const peak = peakConcurrency('counters/' + name + '/' + kind, started);
    const failed = results.filter((r) => !r.ok);
    return call<CounterReading>('GET', 'counters/' + name).then((res) => {
      const list = byId('counter-result');
      if (failed.length) addLine(list, failed.length + ' of ' + n + ' failed: ' + describeError(failed[0]), true);
      const total = res.ok ? (kind === 'hot' ? res.body.hot.total : res.body.sharded.total) : '?';
      diagram.burst(kind, ms / n);
      diagram.path({ kind: 'counter', instance: results[0] && results[0].servedBy });
      const concurrency = peak ? ', at most ' + peak + ' in flight at once (the browser caps connections per host)' : '';
      addLine(list, kind + ': ' + (n - failed.length) + ' increments in ' + ms.toFixed(0) + ' ms (' + (ms / n).toFixed(1) + ' ms each' + concurrency + '); total now ' + total, failed.length > 0);
    });
  });
}

// Multi-master: one base path per Region (the playground adds the others).
let regions: readonly RegionBase[] = [{ name: 'this Region', base: '' }];

function renderRegions(): void {
  byId('item-regions').textContent =
    regions.length > 1
      ? 'Regions: ' + regions.map((r) => r.name).join(', ')
      : 'This deployment writes its own Region only (the other Regions\u2019 writers need IAM); the playground writes every Region.';
}

/** The Regions the multi-master panel writes and reads (the playground's control state names them). */
export function setRegions(list: readonly RegionBase[]): void {
  regions = list;
  renderRegions();
}

const itemPath = (region: RegionBase): string => region.base + 'items/' + encodeURIComponent(byId<HTMLInputElement>('item-id').value.trim() || 'item-1');

function writeEverywhere(): Promise<void> {
  const list = byId('item-result');
  const stamp = new Date().toLocaleTimeString();
  const targets = regions;
  return Promise.all(targets.map((r) => call<ItemWriteResult>('PUT', itemPath(r), { value: 'written in ' + r.name + ' at ' + stamp }))).then((results) => {
    results.forEach((res, i) => {
      if (!res.ok) return addLine(list, targets[i].name + ': ' + describeError(res), true);
      addLine(list, targets[i].name + ': acknowledged version ' + res.body.item.version, false);
      diagram.path({ kind: 'item-write', region: targets[i].name });
    });
  });
}

function readEverywhere(): Promise<void> {
  const list = byId('item-result');
  const targets = regions;
  return Promise.all(targets.map((r) => call<ItemReadResult>('GET', itemPath(r)))).then((results) => {
    results.forEach((res, i) => {
      if (!res.ok) return addLine(list, targets[i].name + ': ' + describeError(res), true);
      const c = res.body.conflict;
      let text = targets[i].name + ' sees "' + res.body.item.value + '"';
      if (c && c.lost) {
        text += ' - CONFLICT: this Region\u2019s write "' + c.ourWrite.value + '" was lost (last writer wins)';
        diagram.path({ kind: 'item-lost', region: targets[i].name });
      }
      addLine(list, text, !!(c && c.lost));
    });
  });
}

/** Forgets this page's last note. */
export function resetDataPanels(): void {
  lastNoteId = null;
}

export function bindDataPanels(): void {
  let lagTimer: number | null = null;
  byId<HTMLInputElement>('lag-auto').addEventListener('change', (e) => {
    if (lagTimer) clearInterval(lagTimer);
    lagTimer = (e.target as HTMLInputElement).checked ? window.setInterval(refreshLag, 2000) : null;
  });
  onClick('note-write', writeNote);
  onClick('note-read-eventual', () => readNote(false));
  onClick('note-read-ryw', () => readNote(true));
  onClick('lag-refresh', refreshLag);
  onClick('counter-hot', () => burst('hot'));
  onClick('counter-sharded', () => burst('sharded'));
  onClick('item-write', writeEverywhere);
  onClick('item-read', readEverywhere);
  renderRegions();
}
