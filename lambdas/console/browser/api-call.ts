/**
 * One call to a route of the app: never throws; a failure becomes a readable message. Every path
 * is relative to the page, so the Lambda-tier copy at `/lambda/` calls `/lambda/...`.
 */
import type { ErrorResponse } from './api-types';

interface CallFields {
  readonly status: number;
  readonly text: string;
  /** The instance that answered (`x-served-by`), null when the header is absent. */
  readonly servedBy: string | null;
  readonly ms: number;
}

/** A success carries the route's body (parsed JSON); a failure, the error body if there was one. */
export type CallResult<T> =
  | (CallFields & { readonly ok: true; readonly body: T })
  | (CallFields & { readonly ok: false; readonly body: ErrorResponse | null });

export interface CallOptions {
  /** Send no cookie (a plain read must not be made stronger by the read-your-writes cookie). */
  readonly omitCookies?: boolean;
}

type ServedByListener = (instance: string, path: string) => void;
const servedByListeners: ServedByListener[] = [];

/** Called with the answering instance of every call that names one. */
export function onServedBy(listener: ServedByListener): void {
  servedByListeners.push(listener);
}

export function call<T>(method: string, path: string, body?: unknown, options?: CallOptions): Promise<CallResult<T>> {
  const started = performance.now();
  const headers: Record<string, string> = {};
  const init: RequestInit = { method, headers, cache: 'no-store', credentials: options?.omitCookies ? 'omit' : 'same-origin' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(path, init).then(
    (res) =>
      res.text().then((text) => {
        let parsed: unknown = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          parsed = null;
        }
        const servedBy = res.headers.get('x-served-by');
        const fields = { status: res.status, text, servedBy, ms: performance.now() - started };
        const result = (res.ok ? { ...fields, ok: true, body: parsed as T } : { ...fields, ok: false, body: parsed as ErrorResponse | null }) as CallResult<T>;
        if (servedBy) for (const listener of servedByListeners) listener(servedBy, path);
        return result;
      }),
    (error: unknown): CallResult<T> => ({
      ok: false,
      status: 0,
      body: null,
      text: String((error instanceof Error && error.message) || error),
      servedBy: null,
      ms: performance.now() - started,
    }),
  );
}

/** "HTTP 503: Redis is unavailable" rather than a blank panel. */
export function describeError(res: CallResult<unknown>): string {
  if (res.status === 0) return 'The request did not complete (network error: ' + res.text + ').';
  const b = (res.body ?? {}) as ErrorResponse & { readonly error?: unknown };
  const nested = typeof b.error === 'object' && b.error !== null ? (b.error as { message?: string }).message : undefined;
  const message = b.message || nested || b.error || res.text || 'no details';
  let line = 'HTTP ' + res.status + ': ' + String(message);
  // The server's message already names the issues; add only those it does not.
  const extra = [...(b.problems ?? []), ...(b.issues ?? [])]
    .map((i) => (typeof i === 'string' ? i : [i.path, i.message].filter(Boolean).join(' ')))
    .filter((i) => i && String(message).indexOf(i) < 0);
  if (extra.length) line += ' (' + extra.join('; ') + ')';
  return line;
}
