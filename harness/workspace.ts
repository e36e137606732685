/**
 * Scratch folders for the harness (data dirs, configs, logs, bundles). They live under
 * `HARNESS_TMP_DIR` or the OS temp dir and are removed when this process exits, so a crashed
 * test run leaves no engine data behind. Set `HARNESS_KEEP_LOGS=1` to keep the logs folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onHostExit } from './exit-hooks';

const removeAtExit = new Set<string>();
let logsDir: string | undefined;

onHostExit('clean', () => {
  for (const dir of removeAtExit) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});

/** Root folder for scratch data; the lab may point it elsewhere with HARNESS_TMP_DIR. */
export function harnessBaseDir(): string {
  return process.env.HARNESS_TMP_DIR ?? os.tmpdir();
}

/**
 * A fresh folder `<base>/<prefix>-XXXXXX`, removed at process exit unless `keep` is set.
 *
 * @example
 * const dir = makeTempDir('redis'); // /tmp/redis-a1B2c3
 */
export function makeTempDir(prefix: string, keep = false): string {
  const base = harnessBaseDir();
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, `${prefix}-`));
  if (!keep) removeAtExit.add(dir);
  return dir;
}

/** Removes a scratch folder now (and forgets it for the exit hook). */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  removeAtExit.delete(dir);
}

/** The per-process folder that holds every engine's stdout/stderr log. */
export function harnessLogsDir(): string {
  logsDir ??= makeTempDir(`harness-logs-${process.pid}`, process.env.HARNESS_KEEP_LOGS === '1');
  return logsDir;
}
