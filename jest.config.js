/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Type checking is done once by `tsc --noEmit` (npm run typecheck); ts-jest only transpiles.
  testTimeout: 30000,
};
