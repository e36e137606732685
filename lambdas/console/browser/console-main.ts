/**
 * The console page's script (served as `console/app.js`), the entry of its bundle: the diagram,
 * the pattern panels and the playground's control strip, started in that order, and the header
 * line that says which tier and instance answered.
 */
import { call, describeError, onServedBy } from './api-call';
import type { WhoamiResponse } from './api-types';
import { resetControls, startControls } from './controls';
import { diagram, startDiagram } from './diagram';
import { byId, onClick, setResult } from './dom';
import { bindDataPanels, resetDataPanels } from './panels-data';
import { bindFrontPanels, resetFrontPanels } from './panels-front';

let pageTier = '';
/** Requests per instance, as this page counted them. */
let served: Record<string, number> = {};

// Keeps the header's line current: which instance answered the latest request of this page.
onServedBy((name, path) => {
  served[name] = (served[name] || 0) + 1;
  if (pageTier) setResult(byId('where'), 'This page was served through the ' + pageTier + ' tier. Latest answer: ' + name + ' (' + path.split('/')[0] + ').', false);
  diagram.served(name, served[name]);
});

startDiagram();

onClick('reset-all', () => {
  served = {};
  resetFrontPanels();
  resetDataPanels();
  ['identity-result', 'session-result'].forEach((id) => (byId(id).textContent = ''));
  ['cache-result', 'note-result', 'lag-result', 'counter-result', 'item-result'].forEach((id) => (byId(id).textContent = ''));
  diagram.reset();
  return resetControls();
});
bindFrontPanels();
bindDataPanels();

void call<WhoamiResponse>('GET', 'whoami').then((res) => {
  if (res.ok) pageTier = res.body.tier;
  setResult(
    byId('where'),
    res.ok
      ? 'This page was served through the ' + res.body.tier + ' tier; instance ' + res.body.instanceId + (res.body.region ? ' in ' + res.body.region : '') + ' answered.'
      : 'whoami failed: ' + describeError(res),
    !res.ok,
  );
});

startControls();
