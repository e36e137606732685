/**
 * The few assertions the checks make, each failing with a message that names what was expected and
 * what the endpoint answered (status and a short body), so a failure reads without a debugger.
 */
import type { HttpResponse } from '../toolkit';
import { CheckFailed } from './check';

/** A short, single-line rendering of a response body for failure messages. */
export function describeBody(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const line = (text ?? '').replace(/\s+/g, ' ');
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

/** Fails unless `response.status` is `status`. */
export function expectStatus<T>(response: HttpResponse<T>, status: number, what: string): HttpResponse<T> {
  if (response.status !== status) {
    throw new CheckFailed(`${what}: expected HTTP ${status}, got ${response.status} ${describeBody(response.body)}`);
  }
  return response;
}

/** Fails with `message` unless `condition` holds. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

/** "a ×3, b ×2": which instances answered, how often, in order of first appearance. */
export function countInstances(servedBy: ReadonlyArray<string | undefined>): string {
  const counts = new Map<string, number>();
  for (const name of servedBy) counts.set(name ?? '(no x-served-by)', (counts.get(name ?? '(no x-served-by)') ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name} ×${count}`).join(', ');
}
