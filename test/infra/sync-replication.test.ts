/**
 * Synchronous versus asynchronous replication (`dbReplication`): `sync` gives the primary a Multi-AZ
 * standby that confirms every commit (no committed write lost on failover), and leaves the
 * asynchronous read replicas as they are; `async`, the default, has no standby.
 */
import { dbInstances } from '../support/database-instances';

describe('sync replication: the dbReplication toggle', () => {
  it('adds a Multi-AZ synchronous standby with dbReplication=sync, keeping the read replicas', () => {
    const { primaries, replicas } = dbInstances({ dbReplication: 'sync' });
    expect(primaries).toHaveLength(1);
    expect(primaries[0][1].Properties.MultiAZ).toBe(true);
    expect(replicas).toHaveLength(2);
  });

  it('has no standby with the default, asynchronous replication', () => {
    const { primaries } = dbInstances();
    expect(primaries[0][1].Properties.MultiAZ).toBe(false);
  });
});
