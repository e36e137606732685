/**
 * The error taxonomy at the engine boundary. Driver errors are sorted by
 * their codes (never their text) into 400 / 409 / 503 / a bug, and a 503 tells a client the
 * engine and the kind of failure, never the driver's message.
 */
import { ConflictError, EngineUnavailableError, InvalidInputError, RejectedValueError } from '../../lambdas/core/errors';
import { classifyEngineError, guardEngine, namingField } from '../../lambdas/adapters/engine-errors';

/** What node-postgres throws for an error the server sent (a DatabaseError has code and severity). */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });
const netError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('classifyEngineError', () => {
  it.each([
    ['a NUL byte (22021)', pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'), RejectedValueError],
    ['a value too long (22001)', pgError('22001', 'value too long for type character varying(10)'), RejectedValueError],
    ['a unique violation (23505)', pgError('23505', 'duplicate key value violates unique constraint "notes_pkey"'), ConflictError],
    ['a not-null violation (23502)', pgError('23502', 'null value in column "text"'), InvalidInputError],
  ])('turns %s into a client error, not an outage', (_case, error, type) => {
    // Act
    const sorted = classifyEngineError('postgres', error);

    // Assess
    expect(sorted).toBeInstanceOf(type);
    expect(sorted).not.toBeInstanceOf(EngineUnavailableError);
    expect(sorted?.message).not.toMatch(/UTF8|notes_pkey|column|character varying/);
  });

  it.each([
    ['refused', netError('ECONNREFUSED', 'connect ECONNREFUSED 10.1.2.3:5432'), 'unreachable'],
    ['reset', netError('ECONNRESET', 'read ECONNRESET'), 'connection-lost'],
    ['statement timeout (57014)', pgError('57014', 'canceling statement due to statement timeout'), 'timeout'],
    ['shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command'), 'starting-or-stopping'],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already'), 'overloaded'],
    ['a connect timeout (no code)', new Error('timeout exceeded when trying to connect'), 'timeout'],
    ['a closed connection (no code)', new Error('Connection terminated unexpectedly'), 'unavailable'],
  ])('turns a connection-level failure (%s) into a 503 of its kind', (_case, error, kind) => {
    // Act
    const sorted = classifyEngineError('postgres', error) as EngineUnavailableError;

    // Assess
    expect(sorted).toBeInstanceOf(EngineUnavailableError);
    expect(sorted.kind).toBe(kind);
    expect(sorted.publicMessage).toBe(`postgres is unavailable (${kind}); retry later`);
    expect(sorted.message).toContain(error.message); // the log keeps the detail
  });

  it('lets a bug the engine reported (undefined table, syntax) through as itself: a 500, not a 503', async () => {
    // Prepare
    const bug = pgError('42P01', 'relation "nope" does not exist');

    // Act
    const attempt = guardEngine('postgres', async () => {
      throw bug;
    });

    // Assess
    await expect(attempt).rejects.toBe(bug);
  });

  it('names the field a refused value came from', async () => {
    // Act
    const attempt = guardEngine('postgres', async () => {
      throw pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
    }).catch(namingField('text'));

    // Assess
    await expect(attempt).rejects.toThrow('text: contains a character the database cannot store (e.g. NUL, U+0000)');
  });
});
