/**
 * The panels of the front tier: reverse proxy (who answered?), sessions (did the session survive
 * a change of instance?) and cache-aside (hit, miss, invalidation).
 */
import { call, describeError, type CallResult } from './api-call';
import type { ProfileReadResponse, ProfileWriteResponse, SessionResponse, WhoamiResponse } from './api-types';
import { diagram } from './diagram';
import type { CacheCounts } from './diagram-state';
import { addLine, byId, colourOf, onClick, setResult } from './dom';

// Identity: the spread over instances.
let tally: Record<string, number> = {};

function renderTally(): string[] {
  const list = byId('identity-tally');
  list.textContent = '';
  const names = Object.keys(tally).sort();
  names.forEach((name) => {
    const li = document.createElement('li');
    li.className = 'tag ' + colourOf(name);
    li.textContent = name + ': ' + tally[name];
    list.appendChild(li);
  });
  return names;
}

function sendIdentity(): Promise<void> {
  let i = 0;
  const errors: string[] = [];
  const answered: string[] = [];
  const next = (): Promise<void> => {
    if (i++ >= 10) return Promise.resolve();
    return call<WhoamiResponse>('GET', 'whoami').then((res) => {
      if (!res.ok) {
        errors.push(describeError(res));
        return next();
      }
      tally[res.body.instanceId] = (tally[res.body.instanceId] || 0) + 1;
      answered.push(res.body.instanceId);
      diagram.path({ kind: 'identity', instance: res.servedBy });
      return next();
    });
  };
  return next().then(() => {
    const names = renderTally();
    const distinct = answered.filter((n, k) => answered.indexOf(n) === k);
    const text = answered.length + ' of 10 answered by ' + distinct.length + ' instance(s): ' + distinct.join(', ') + '. Tally so far: ' + names.length + ' instance(s).';
    setResult(byId('identity-result'), errors.length ? text + ' Errors: ' + errors[0] : text, errors.length > 0);
  });
}

// Sessions.
let lastSession: SessionResponse | null = null;

function showSession(res: CallResult<SessionResponse>): void {
  const el = byId('session-result');
  if (!res.ok) {
    setResult(el, describeError(res), true);
    return;
  }
  const s = res.body;
  const cart = (s.cart || []).map((l) => l.sku + ' x' + l.quantity).join(', ') || 'empty';
  let verdict = '';
  if (lastSession && lastSession.instanceId !== s.instanceId) {
    verdict = s.isNew
      ? ' Session LOST: ' + s.instanceId + ' started a new session (the last one was on ' + lastSession.instanceId + ').'
      : ' Session survived the change of instance (' + lastSession.instanceId + ' -> ' + s.instanceId + ').';
  } else if (lastSession && s.isNew) {
    verdict = ' A new session started.';
  }
  const tag = s.visitorTag ? ' visitor ' + s.visitorTag + ',' : '';
  setResult(el, s.strategy + ' session,' + tag + ' visits ' + s.visits + ', cart: ' + cart + ', served by ' + s.instanceId + '.' + verdict, false);
  el.setAttribute('data-session', s.isNew ? 'new' : 'kept');
  lastSession = s;
  diagram.path({ kind: 'session', instance: res.servedBy, store: s.strategy });
}

function addToCart(): Promise<void> {
  const sku = byId<HTMLInputElement>('session-sku').value.trim() || 'A-1';
  return call<SessionResponse>('POST', 'session/cart', { sku, quantity: 1 }).then(showSession);
}

function endSession(): Promise<void> {
  return call('DELETE', 'session').then((res) => {
    lastSession = null;
    if (!res.ok) setResult(byId('session-result'), describeError(res), true);
    else setResult(byId('session-result'), 'Session ended: the cookie is cleared; the next visit starts a new one.', false);
  });
}

// Cache-aside.
let hits: CacheCounts = {};

const profileId = (): string => byId<HTMLInputElement>('profile-id').value.trim() || 'p-1';
const profilePath = (): string => 'profiles/' + encodeURIComponent(profileId());

function readProfile(): Promise<void> {
  return call<ProfileReadResponse>('GET', profilePath()).then((res) => {
    const list = byId('cache-result');
    if (!res.ok) return addLine(list, res.status === 404 ? 'Not found: save the profile first.' : describeError(res), true, res.servedBy);
    const outcome = res.body.cache;
    const where = outcome === 'hit' ? 'Redis' : outcome === 'miss' ? 'PostgreSQL, now cached' : 'PostgreSQL (Redis unavailable: bypass)';
    diagram.path({ kind: 'cache-read', instance: res.servedBy, cache: outcome });
    hits[outcome] = (hits[outcome] || 0) + 1;
    diagram.cacheRatio(hits);
    addLine(list, outcome.toUpperCase() + ' in ' + Number(res.body.elapsedMs).toFixed(1) + ' ms on the server (' + where + ')', false, res.servedBy);
  });
}

function saveProfile(): Promise<void> {
  const id = profileId();
  return call<ProfileWriteResponse>('PUT', profilePath(), { name: 'User ' + id, email: id + '@example.com' }).then((res) => {
    const list = byId('cache-result');
    if (!res.ok) return addLine(list, describeError(res), true, res.servedBy);
    const cacheText = !res.body.invalidated
      ? 'but the cache invalidation FAILED (Redis unavailable): a copy Redis still holds can be served stale until its TTL ends'
      : res.body.created
        ? 'nothing was cached yet: the next read misses and fills the cache'
        : 'the cached copy, if any, was deleted: the next read misses and loads the new value';
    addLine(list, (res.body.created ? 'Created' : 'Updated') + ' on the primary; ' + cacheText, !res.body.invalidated, res.servedBy);
    diagram.path({ kind: 'cache-write', instance: res.servedBy, invalidated: res.body.invalidated });
  });
}

/** Forgets this page's tally, session and cache counts (the Reset all button). */
export function resetFrontPanels(): void {
  tally = {};
  hits = {};
  lastSession = null;
  renderTally();
}

export function bindFrontPanels(): void {
  onClick('identity-send', sendIdentity);
  onClick('identity-reset', () => {
    tally = {};
    renderTally();
    setResult(byId('identity-result'), 'Tally reset.', false);
  });
  onClick('session-visit', () => call<SessionResponse>('GET', 'session').then(showSession));
  onClick('session-add', addToCart);
  onClick('session-end', endSession);
  onClick('cache-read', readProfile);
  onClick('cache-update', saveProfile);
}
