import { ManualClock } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import type { ReadOptions } from '../../lambdas/core/read-replica-router';
import { createPatternApp } from '../../lambdas/http/app';
import { readReplicaRoutes } from '../../lambdas/http/read-replica-routes';

function setup(found = true, forwardedProtoHeader?: string) {
  const reads: Array<{ id: string; options: ReadOptions }> = [];
  const app = createPatternApp(new InstanceIdentity({ tier: 'local', region: 'local', instanceId: 'test-1' }, new ManualClock()), [
    readReplicaRoutes({
      writeNote: async () => ({ note: { id: 'n1' }, lsn: 0x16b374d848n }),
      readNote: async (id, options) => {
        reads.push({ id, options });
        return { value: found ? { id, text: 'hi' } : undefined, servedBy: 'replica-2', reason: 'replica' };
      },
      forwardedProtoHeader,
    }),
  ]);
  return { app, reads };
}

const json = { 'content-type': 'application/json' };

describe('readReplicaRoutes', () => {
  it('answers a write with its LSN and sets a protected read-your-writes cookie', async () => {
    // Prepare
    const { app } = setup(true, 'x-forwarded-proto');

    // Act
    const response = await app.request('/notes', {
      method: 'POST',
      headers: { ...json, 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ text: 'hi' }),
    });

    // Assess
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ note: { id: 'n1' }, id: 'n1', lsn: '16/B374D848', servedBy: 'primary' });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^rw_lsn=16%2FB374D848; Max-Age=300; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('leaves Secure off the read-your-writes cookie on plain HTTP, whatever an untrusted header says', async () => {
    // Prepare
    const { app } = setup();

    // Act
    const response = await app.request('http://patterns.example/notes', {
      method: 'POST',
      headers: { ...json, 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ text: 'hi' }),
    });

    // Assess
    expect(response.headers.get('set-cookie')).toBe('rw_lsn=16%2FB374D848; Max-Age=300; Path=/; HttpOnly; SameSite=Lax');
  });

  it('passes the cookie position to the read as a 64-bit number', async () => {
    // Prepare
    const { app, reads } = setup();

    // Act
    const response = await app.request('/notes/n1', { headers: { cookie: 'rw_lsn=16%2FB374D848' } });

    // Assess
    expect(await response.json()).toEqual({
      note: { id: 'n1', text: 'hi' },
      servedBy: 'replica-2',
      reason: 'replica',
      readYourWrites: '16/B374D848',
    });
    expect(reads[0].options).toEqual({ consistency: undefined, minLsn: 0x16b374d848n });
  });

  it('ignores a malformed cookie and reads as an eventual read', async () => {
    // Prepare
    const { app, reads } = setup();

    // Act
    const response = await app.request('/notes/n1', { headers: { cookie: 'rw_lsn=not-an-lsn' } });

    // Assess
    expect(response.status).toBe(200);
    expect(reads[0].options.minLsn).toBeUndefined();
  });

  it('forwards consistency=strong and rejects other values', async () => {
    // Prepare
    const { app, reads } = setup();

    // Act
    const strong = await app.request('/notes/n1?consistency=strong');
    const bad = await app.request('/notes/n1?consistency=linearizable');

    // Assess
    expect(strong.status).toBe(200);
    expect(reads[0].options.consistency).toBe('strong');
    expect(bad.status).toBe(400);
    expect(reads).toHaveLength(1);
  });

  it('says which node did not find the note', async () => {
    // Prepare
    const { app } = setup(false);

    // Act
    const response = await app.request('/notes/n9');

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'NotFound', servedBy: 'replica-2', reason: 'replica' });
  });

  it.each([
    ['an unknown field', { text: 'hi', extra: 1 }],
    ['an empty text', { text: '' }],
    ['a text too long', { text: 'x'.repeat(2001) }],
    ['a wrong type', { text: 42 }],
  ])('rejects a body with %s', async (_, body) => {
    // Prepare
    const { app } = setup();

    // Act
    const response = await app.request('/notes', { method: 'POST', headers: json, body: JSON.stringify(body) });

    // Assess
    expect(response.status).toBe(400);
  });

  it('rejects a malformed id', async () => {
    // Prepare
    const { app, reads } = setup();

    // Act
    const response = await app.request('/notes/bad%20id');

    // Assess
    expect(response.status).toBe(400);
    expect(reads).toHaveLength(0);
  });
});
