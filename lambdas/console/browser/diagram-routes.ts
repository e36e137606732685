/**
 * The way one request went, as the panels report it, and its highlight on the diagram: the nodes
 * and links it touched, and the sentence that says so (`#diagram-path`).
 */
import type { CacheOutcome } from '../../core/cache-aside';
import { byId } from './dom';

/** The instance that answered, as `x-served-by` said (absent when it did not). */
type Instance = string | null | undefined;

export type DiagramRoute =
  | { readonly kind: 'identity' | 'note-write' | 'counter'; readonly instance: Instance }
  | { readonly kind: 'session'; readonly instance: Instance; readonly store: string }
  | { readonly kind: 'cache-read'; readonly instance: Instance; readonly cache: CacheOutcome }
  | { readonly kind: 'cache-write'; readonly instance: Instance; readonly invalidated: boolean }
  | { readonly kind: 'note-read'; readonly instance: Instance; readonly node: string; readonly reason: string; readonly stale: boolean }
  | { readonly kind: 'item-write' | 'item-lost'; readonly region: string };

interface RoutePicture {
  readonly nodes: readonly Instance[];
  readonly links: readonly string[];
  readonly lost?: boolean;
  readonly text: string;
}

function routeOf(r: DiagramRoute): RoutePicture {
  switch (r.kind) {
    case 'identity':
      return { nodes: [r.instance], links: ['lb-' + r.instance], text: r.instance + ' answered' };
    case 'session': {
      const inst = r.instance;
      return r.store === 'redis'
        ? { nodes: [inst, 'redis'], links: ['lb-' + inst, inst + '-redis'], text: inst + ' served the session, kept in Redis' }
        : { nodes: [inst], links: ['lb-' + inst], text: inst + ' served the session, kept ' + (r.store === 'cookie' ? 'in the signed cookie' : 'in its own memory') };
    }
    case 'cache-read': {
      const inst = r.instance;
      if (r.cache === 'hit') return { nodes: [inst, 'redis'], links: ['lb-' + inst, inst + '-redis'], text: inst + ': cache HIT in Redis' };
      return {
        nodes: [inst, 'redis', 'primary'],
        links: ['lb-' + inst, inst + '-redis', inst + '-primary'],
        text: inst + (r.cache === 'miss' ? ': cache MISS in Redis, then PostgreSQL, then cached' : ': Redis unavailable (bypass), PostgreSQL alone'),
      };
    }
    case 'cache-write': {
      const inst = r.instance;
      return {
        nodes: [inst, 'primary', 'redis'],
        links: ['lb-' + inst, inst + '-primary', inst + '-redis'],
        text: inst + ' wrote the primary, then ' + (r.invalidated ? 'deleted the cached copy in Redis' : 'FAILED to invalidate Redis (stale-cache risk)'),
      };
    }
    case 'note-write':
      return { nodes: [r.instance, 'primary'], links: ['lb-' + r.instance, r.instance + '-primary'], text: r.instance + ' wrote the note on the primary' };
    case 'note-read': {
      const inst = r.instance;
      return {
        nodes: [inst, r.node],
        links: ['lb-' + inst, inst + '-' + r.node],
        text: inst + ' read from ' + r.node + ' (' + r.reason + ')' + (r.stale ? ': STALE, not there yet' : ''),
      };
    }
    case 'counter':
      return { nodes: [r.instance, 'primary'], links: ['lb-' + r.instance, r.instance + '-primary'], text: 'increments on the primary (first answered by ' + r.instance + ')' };
    case 'item-write':
      return { nodes: ['lb', 'region-' + r.region], links: ['lb-region-' + r.region], text: r.region + ' wrote the item' };
    case 'item-lost':
      return { nodes: ['region-' + r.region], links: ['replication'], lost: true, text: r.region + '\u2019s write was LOST (last writer wins)' };
  }
}

/** Marks the route's nodes and links (`hl`, or `lost` for a lost write) and says it in words. */
export function highlight(r: DiagramRoute): void {
  const route = routeOf(r);
  const svg = byId('diagram-svg');
  svg.querySelectorAll('.hl, .lost').forEach((n) => {
    n.classList.remove('hl');
    n.classList.remove('lost');
  });
  route.nodes.concat(['lb']).forEach((id) => {
    const n = document.getElementById('dg-' + id);
    if (n) n.classList.add(route.lost && id !== 'lb' ? 'lost' : 'hl');
  });
  route.links.forEach((id) => {
    const n = document.getElementById('dl-' + id);
    if (n) n.classList.add('hl');
  });
  const path = byId('diagram-path');
  path.textContent = route.text ? 'Last request: ' + route.text + '.' : '';
  path.setAttribute('data-nodes', route.nodes.join(' '));
}
