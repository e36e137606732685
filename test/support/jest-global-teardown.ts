/** Jest global teardown: removes the run's folder of synthesized configurations. */
import * as fs from 'node:fs';
import { SYNTH_CACHE_ENV } from './synth-cache';

export default function globalTeardown(): void {
  const dir = process.env[SYNTH_CACHE_ENV];
  if (dir !== undefined && dir !== '') fs.rmSync(dir, { recursive: true, force: true });
}
