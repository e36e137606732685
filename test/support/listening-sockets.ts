/**
 * Which addresses a set of processes listens on, read from /proc (Linux): the TCP sockets in state
 * LISTEN in /proc/net/tcp and tcp6, matched to the processes by the socket inodes their file
 * descriptors point at. A test then proves "nothing reaches beyond 127.0.0.1" without trusting a
 * start-up log or a config file.
 */
import * as fs from 'node:fs';

export interface ListeningSocket {
  readonly pid: number;
  /** `127.0.0.1`, `0.0.0.0`, `::` or another address, as the kernel holds it. */
  readonly address: string;
  readonly port: number;
}

const LISTEN = '0A';

/** `0100007F` is 127.0.0.1 (little-endian words); an IPv6 address is four such words. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.every((b) => b === 0)) return '::';
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(':');
}

function listeningByInode(): Map<string, { address: string; port: number }> {
  const byInode = new Map<string, { address: string; port: number }>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = fs.readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== LISTEN) continue;
      const [address, port] = f[1].split(':');
      byInode.set(f[9], { address: decodeAddress(address), port: parseInt(port, 16) });
    }
  }
  return byInode;
}

/** Every TCP socket the given processes listen on (a process that has exited is skipped). */
export function listeningSockets(pids: readonly number[]): ListeningSocket[] {
  const byInode = listeningByInode();
  const found: ListeningSocket[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      const socket = inode === undefined ? undefined : byInode.get(inode);
      if (socket !== undefined) found.push({ pid, ...socket });
    }
  }
  return found;
}
