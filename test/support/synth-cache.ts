/**
 * The variable that names a jest run's folder of synthesized configurations (set by
 * `jest-global-setup.ts`, read by `synth-patterns.ts`). Its own module, so that the global setup
 * does not load aws-cdk-lib in jest's parent process.
 */
export const SYNTH_CACHE_ENV = 'PATTERNS_SYNTH_CACHE';
