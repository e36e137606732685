/**
 * Pure parts of the app role: the base/clone names that multi-user rotation alternates between,
 * and the SCRAM verifier sent instead of the password (real logins with it: pg-migrations.test.ts).
 */
import { appRoleNames, scramSha256Verifier } from '../../lambdas/adapters/pg-app-role';

describe('appRoleNames', () => {
  it.each(['patterns_app', 'patterns_app_clone'])('finds the role and its clone from the login %s', (login) => {
    // Act & Assess
    expect(appRoleNames(login)).toEqual({ base: 'patterns_app', clone: 'patterns_app_clone' });
  });

  it.each([
    ['Patterns', 'got "Patterns"'],
    ['app; DROP ROLE x', 'got "app; DROP ROLE x"'],
    ['a'.repeat(58), `got "${'a'.repeat(58)}"`],
  ])('refuses %s', (login, got) => {
    // Act & Assess
    expect(() => appRoleNames(login)).toThrow(`app role name: ${got}; allowed: a lower-case SQL identifier of at most 57 characters (+ _clone)`);
  });
});

describe('scramSha256Verifier', () => {
  it('has the form PostgreSQL stores, and depends on password and salt only', () => {
    // Prepare
    const salt = Buffer.alloc(16, 7);

    // Act
    const verifier = scramSha256Verifier('pencil', salt);

    // Assess
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
    expect(verifier).not.toContain('pencil');
    expect(scramSha256Verifier('pencil', salt)).toBe(verifier);
    expect(scramSha256Verifier('pencil2', salt)).not.toBe(verifier);
    expect(scramSha256Verifier('pencil')).not.toBe(scramSha256Verifier('pencil')); // a fresh salt each time
  });
});
