/**
 * Cache-aside: the first read after a write misses the cache and fills it from PostgreSQL, the
 * next read hits; a write invalidates, so the read after it misses again and sees the new value.
 * The cache is shared, so hit and miss hold whichever instance answers.
 */
import { perTier } from '../check';
import { expectStatus, expectThat } from '../expect';

interface ProfileRead {
  readonly profile?: { readonly name?: string };
  readonly cache?: string;
}

export const cacheAsideChecks = perTier({
  id: 'cache-aside',
  title: 'cache hit after miss, miss after invalidation',
  needs: ['database', 'cache'],
  async run(ctx) {
    const client = ctx.client();
    const id = ctx.uniqueId('e2e');
    const path = `/profiles/${id}`;
    const read = async (expectedName: string, expectedCache: 'hit' | 'miss') => {
      const response = expectStatus(await client.request<ProfileRead>('GET', path), 200, `GET ${path}`);
      expectThat(
        response.body.cache === expectedCache && response.body.profile?.name === expectedName,
        `GET ${path} on ${response.servedBy}: expected cache ${expectedCache} with name ${expectedName}, got ` +
          `cache ${JSON.stringify(response.body.cache)} with name ${JSON.stringify(response.body.profile?.name)}` +
          (response.body.cache === 'bypass' ? ' (bypass: the cache was unavailable)' : ''),
      );
      return response.ms;
    };

    expectStatus(await client.request('PUT', path, { name: 'first', email: 'e2e@example.com' }), 201, `PUT ${path} (create)`);
    const missMs = await read('first', 'miss');
    const hitMs = await read('first', 'hit');
    const update = expectStatus(await client.request<{ invalidated?: boolean }>('PUT', path, { name: 'second', email: 'e2e@example.com' }), 200, `PUT ${path} (update)`);
    expectThat(update.body.invalidated === true, `PUT ${path} (update): expected invalidated true, got ${JSON.stringify(update.body)}`);
    await read('second', 'miss');
    await read('second', 'hit');
    return `miss ${missMs.toFixed(1)} ms, then hit ${hitMs.toFixed(1)} ms; update invalidated, next read missed`;
  },
});
