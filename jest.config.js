/**
 * Two projects. `templates-and-units` (infra and unit tests) share nothing but the run's folder of
 * synthesized configurations, so `npm test` runs them on every core. `engines` (integration,
 * harness, browser: real PostgreSQL, Redis, HAProxy, Chromium, injected faults and timeouts) are
 * timing-sensitive, so `npm test` runs them one suite at a time. `npx jest <path>` picks the
 * project by path, as before.
 */
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Type checking is done once by `tsc --noEmit` (npm run typecheck); ts-jest only transpiles.
  testTimeout: 30000,
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  // One folder per run for the synthesized configurations every worker shares (test/support/synth-patterns.ts).
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.ts',
  projects: [
    { ...shared, displayName: 'templates-and-units', roots: ['<rootDir>/test/infra', '<rootDir>/test/unit'] },
    { ...shared, displayName: 'engines', roots: ['<rootDir>/test/integration', '<rootDir>/test/harness', '<rootDir>/test/browser'] },
  ],
};
