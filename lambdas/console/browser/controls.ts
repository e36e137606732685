/**
 * The playground's control strip. It asks `/_playground/state` (a path only the playground's
 * HAProxy routes, to the control API on 127.0.0.1); on a deployed stack that answers 404 and the
 * strip stays hidden. Actions are POSTed as JSON with a custom header, which a cross-site form or
 * image cannot send (a cross-origin page would need a CORS preflight, which the control API never
 * grants).
 */
import type { ControlAction, ControlReply, PlaygroundStateView } from './api-types';
import { diagram } from './diagram';
import { byId } from './dom';
import { setRegions } from './panels-data';

const BASE = '/_playground/';
let state: PlaygroundStateView | null = null;

function getState(): Promise<PlaygroundStateView | null> {
  return fetch(BASE + 'state', { cache: 'no-store' }).then(
    (res) => {
      if (!res.ok) return null;
      return res.json().then(
        (b: PlaygroundStateView | null) => (b && b.playground === true ? b : null),
        () => null,
      );
    },
    () => null,
  );
}

function act(body: ControlAction): Promise<ControlReply> {
  return fetch(BASE + 'actions', {
    method: 'POST',
    cache: 'no-store',
    headers: { 'content-type': 'application/json', 'x-playground-control': '1' },
    body: JSON.stringify(body),
  })
    .then(
      (res) =>
        res.json().then(
          (b: ControlReply) => b,
          () => ({ ok: false, message: 'HTTP ' + res.status }),
        ),
      (e: unknown) => ({ ok: false, message: 'control API unreachable: ' + (e instanceof Error ? e.message : String(e)) }),
    )
    .then((reply) => refresh().then(() => reply));
}

function renderLog(entries: PlaygroundStateView['log']): void {
  const list = byId('ctl-log');
  if (list.children.length === entries.length) return;
  list.textContent = '';
  entries
    .slice()
    .reverse()
    .forEach((e) => {
      const li = document.createElement('li');
      li.textContent = new Date(e.at).toLocaleTimeString() + '  ' + e.action + ': ' + e.message;
      if (!e.ok) li.className = 'error';
      list.appendChild(li);
    });
}

function instanceRow(inst: PlaygroundStateView['instances'][number]): HTMLElement {
  const row = document.createElement('div');
  row.className = 'instance';
  const label = document.createElement('span');
  label.textContent = inst.name + ': ' + inst.status;
  label.className = 'tag ' + (inst.status === 'UP' ? 'up' : 'down');
  row.appendChild(label);
  (['kill', 'restart'] as const).forEach((verb) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.id = 'ctl-' + verb + '-' + inst.name;
    b.textContent = verb === 'kill' ? 'Kill' : 'Restart';
    b.setAttribute('aria-label', (verb === 'kill' ? 'Kill ' : 'Restart ') + inst.name);
    b.addEventListener('click', () => void run(b, { action: verb, tier: inst.tier, instance: inst.name }));
    row.appendChild(b);
  });
  return row;
}

function render(s: PlaygroundStateView): void {
  const sticky = byId('ctl-sticky');
  sticky.textContent = 'Stickiness: ' + (s.sticky ? 'on' : 'off');
  sticky.setAttribute('aria-pressed', String(s.sticky));
  // Rebuilt only when something changed, so that keyboard focus survives the periodic refresh.
  const key = JSON.stringify(s.instances);
  const box = byId('ctl-instances');
  if (box.getAttribute('data-key') !== key) {
    box.setAttribute('data-key', key);
    box.textContent = '';
    s.instances.forEach((inst) => box.appendChild(instanceRow(inst)));
  }
  // Only when the store changed: the periodic refresh must not undo a choice not yet applied.
  const select = byId<HTMLSelectElement>('ctl-session-store');
  if (select.getAttribute('data-applied') !== s.sessionStore) {
    select.value = s.sessionStore;
    select.setAttribute('data-applied', s.sessionStore);
  }
  // The replay delay in force, not the field's default, after a reload (unless being edited).
  const delay = byId<HTMLInputElement>('ctl-delay-ms');
  if (delay.getAttribute('data-applied') !== String(s.replication.delayMs) && document.activeElement !== delay) {
    delay.value = String(s.replication.delayMs);
    delay.setAttribute('data-applied', String(s.replication.delayMs));
  }
  byId('ctl-state').textContent =
    'Redis ' + s.redis + '; replication ' + (s.replication.frozen ? 'FROZEN' : 'flowing') + ', replay delay ' + s.replication.delayMs + ' ms; Regions ' + (s.partitioned ? 'PARTITIONED' : 'connected') + '; session store ' + s.sessionStore + '.';
  renderLog(s.log);
  setRegions(s.regions);
  diagram.update(s);
}

function refresh(): Promise<void> {
  return getState().then((s) => {
    if (s === null) return;
    state = s;
    byId('controls').hidden = false;
    render(s);
  });
}

function run(button: HTMLButtonElement, body: ControlAction): Promise<void> {
  button.disabled = true;
  return act(body).then(() => {
    button.disabled = false;
  });
}

function bind(id: string, body: ControlAction | (() => ControlAction)): void {
  const button = byId<HTMLButtonElement>(id);
  button.addEventListener('click', () => void run(button, typeof body === 'function' ? body() : body));
}

/** Undoes every control, one action at a time, each logged as usual (the Reset all button). */
export function resetControls(): Promise<unknown> {
  if (!state) return Promise.resolve();
  const s = state;
  const steps: ControlAction[] = [];
  if (s.sticky) steps.push({ action: 'sticky', on: false });
  if (s.replication.frozen) steps.push({ action: 'thaw-replication' });
  if (s.replication.delayMs) steps.push({ action: 'replay-delay', ms: 0 });
  if (s.partitioned) steps.push({ action: 'release-replicator' });
  if (s.redis === 'down') steps.push({ action: 'redis', running: true });
  s.instances.forEach((i) => {
    if (i.status !== 'UP' && i.status.indexOf('UP') !== 0) steps.push({ action: 'restart', tier: i.tier, instance: i.name });
  });
  return steps.reduce<Promise<unknown>>((p, step) => p.then(() => act(step)), Promise.resolve());
}

/** Binds the strip's buttons and shows it if this is the playground (refreshed every 2 s then). */
export function startControls(): void {
  bind('ctl-sticky', () => ({ action: 'sticky', on: !(state && state.sticky) }));
  bind('ctl-add-fargate', { action: 'add', tier: 'fargate' });
  bind('ctl-add-lambda', { action: 'add', tier: 'lambda' });
  bind('ctl-session-apply', () => ({ action: 'session-store', store: byId<HTMLSelectElement>('ctl-session-store').value }));
  bind('ctl-delay-set', () => ({ action: 'replay-delay', ms: Number(byId<HTMLInputElement>('ctl-delay-ms').value) }));
  bind('ctl-freeze', { action: 'freeze-replication' });
  bind('ctl-thaw', { action: 'thaw-replication' });
  bind('ctl-hold', { action: 'hold-replicator' });
  bind('ctl-release', { action: 'release-replicator' });
  bind('ctl-redis-stop', { action: 'redis', running: false });
  bind('ctl-redis-start', { action: 'redis', running: true });
  // Instances change state on their own (a killed one turns DOWN after a health check or two).
  void refresh().then(() => {
    if (state) window.setInterval(refresh, 2000);
  });
}
