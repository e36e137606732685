/**
 * Read/write splitting with read-your-writes: a note written on the primary is readable at once by
 * the client that wrote it (its `rw_lsn` cookie makes the router wait for a replica or use the
 * primary), whichever instance answers; a strong read is served by the primary.
 */
import { READ_YOUR_WRITES_COOKIE } from '../../lambdas/http/read-replica-routes';
import { perTier } from '../check';
import { expectStatus, expectThat } from '../expect';

interface NoteRead {
  readonly note?: { readonly text?: string };
  readonly servedBy?: string;
  readonly reason?: string;
}

const READS = 4;

export const readReplicaChecks = perTier({
  id: 'read-replica',
  title: 'read-your-writes across replicas',
  needs: ['database'],
  async run(ctx) {
    const client = ctx.client();
    const text = `e2e ${ctx.uniqueId('note')}`;
    const written = expectStatus(await client.request<{ id?: string }>('POST', '/notes', { text }), 201, 'POST /notes');
    const id = written.body.id;
    expectThat(typeof id === 'string', `POST /notes: no id in ${JSON.stringify(written.body)}`);
    expectThat(client.cookies().has(READ_YOUR_WRITES_COOKIE), `POST /notes set no ${READ_YOUR_WRITES_COOKIE} cookie`);

    const nodes: string[] = [];
    for (let i = 0; i < READS; i += 1) {
      const read = await client.request<NoteRead>('GET', `/notes/${id}`);
      expectStatus(read, 200, `GET /notes/${id} right after writing it (read ${i + 1}, on ${read.servedBy})`);
      expectThat(read.body.note?.text === text, `GET /notes/${id}: expected text ${JSON.stringify(text)}, got ${JSON.stringify(read.body)}`);
      nodes.push(`${read.body.servedBy} (${read.body.reason})`);
    }
    const strong = expectStatus(await client.request<NoteRead>('GET', `/notes/${id}?consistency=strong`), 200, `GET /notes/${id}?consistency=strong`);
    expectThat(strong.body.servedBy === 'primary', `a strong read was served by ${JSON.stringify(strong.body.servedBy)}, expected primary`);
    return `${READS} reads saw the write: ${[...new Set(nodes)].join(', ')}; strong read on primary`;
  },
});
