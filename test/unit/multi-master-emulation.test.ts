/**
 * The pure parts of the lab's global-table emulation: last-writer-wins rules
 * (harness/multi-master-lww.ts), delayed deliveries (-delivery.ts) and request parsing (-proxy.ts).
 * The replicator itself runs against dynalite in test/integration/multi-master-replicator.test.ts.
 */
import {
  compareStamps,
  mustRefuse,
  nextLocalStamp,
  resolveReplicated,
  type WriteStamp,
} from '../../harness/multi-master-lww';
import { DelayedDeliveries } from '../../harness/multi-master-delivery';
import { primaryKeyOf, signedRegion } from '../../harness/multi-master-proxy';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const at = (time: number, region: string): WriteStamp => ({ time, region });

describe('compareStamps', () => {
  it('orders by write time first', () => {
    expect(compareStamps(at(2, EAST), at(1, WEST))).toBeGreaterThan(0);
    expect(compareStamps(at(1, WEST), at(2, EAST))).toBeLessThan(0);
  });

  it('breaks a tie deterministically by region name, the same way in every region', () => {
    expect(compareStamps(at(5, WEST), at(5, EAST))).toBeGreaterThan(0);
    expect(compareStamps(at(5, EAST), at(5, WEST))).toBeLessThan(0);
    expect(compareStamps(at(5, EAST), at(5, EAST))).toBe(0);
  });
});

describe('nextLocalStamp', () => {
  it('stamps a write with the current time', () => {
    expect(nextLocalStamp(100, EAST, at(40, WEST))).toEqual(at(100, EAST));
    expect(nextLocalStamp(100, EAST, undefined)).toEqual(at(100, EAST));
  });

  it('stamps a write later than the version it replaced, even in the same millisecond', () => {
    // Prepare: west's version arrived stamped at 100 (west > east would win a tie).
    const held = at(100, WEST);
    // Act
    const stamp = nextLocalStamp(100, EAST, held);
    // Assess: the local write that replaced it must win everywhere.
    expect(stamp).toEqual(at(101, EAST));
    expect(compareStamps(stamp, held)).toBeGreaterThan(0);
  });
});

describe('resolveReplicated', () => {
  it('applies a write to a region that holds nothing, without conflict', () => {
    expect(resolveReplicated(undefined, { stamp: at(10, EAST), base: undefined })).toEqual({ apply: true, conflict: 'none' });
  });

  it('applies a plain update built on the version the region holds, without conflict', () => {
    const held = at(10, WEST);
    expect(resolveReplicated(held, { stamp: at(20, EAST), base: held })).toEqual({ apply: true, conflict: 'none' });
  });

  it('lets a later concurrent write overwrite the local one and counts the conflict', () => {
    // Prepare: west wrote at 10 and east at 20, neither having seen the other.
    const held = at(10, WEST);
    // Act
    const resolution = resolveReplicated(held, { stamp: at(20, EAST), base: undefined });
    // Assess
    expect(resolution).toEqual({ apply: true, conflict: 'overwrote-concurrent' });
  });

  it('discards an older concurrent write and counts the conflict', () => {
    const held = at(20, EAST);
    expect(resolveReplicated(held, { stamp: at(10, WEST), base: undefined })).toEqual({ apply: false, conflict: 'discarded-older' });
  });

  it('resolves a same-time race the same way in both regions', () => {
    // Prepare: both wrote at 10 without seeing each other.
    const east = at(10, EAST);
    const west = at(10, WEST);
    // Act
    const inEast = resolveReplicated(east, { stamp: west, base: undefined });
    const inWest = resolveReplicated(west, { stamp: east, base: undefined });
    // Assess: west wins in both, so both converge on west's version.
    expect(inEast).toEqual({ apply: true, conflict: 'overwrote-concurrent' });
    expect(inWest).toEqual({ apply: false, conflict: 'discarded-older' });
  });

  it('ignores a duplicate delivery of the version already held', () => {
    const held = at(10, EAST);
    expect(resolveReplicated(held, { stamp: at(10, EAST), base: undefined })).toEqual({ apply: false, conflict: 'none' });
  });
});

describe('mustRefuse', () => {
  it('never refuses in eventual mode', () => {
    expect(mustRefuse('eventual', EAST, [WEST])).toBe(false);
  });

  it('refuses in strong mode while another region replicates the item', () => {
    expect(mustRefuse('strong', EAST, [WEST])).toBe(true);
    expect(mustRefuse('strong', EAST, [EAST, WEST])).toBe(true);
  });

  it('accepts in strong mode when nothing, or only this region, is in flight', () => {
    expect(mustRefuse('strong', EAST, [])).toBe(false);
    expect(mustRefuse('strong', EAST, [EAST])).toBe(false);
  });
});

describe('signedRegion', () => {
  it('reads the region from a SigV4 credential scope', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=local/20250101/us-west-2/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
    expect(signedRegion(header)).toBe(WEST);
  });

  it('returns undefined without a SigV4 header', () => {
    expect(signedRegion(undefined)).toBeUndefined();
    expect(signedRegion('Basic abc')).toBeUndefined();
  });
});

describe('primaryKeyOf', () => {
  const keys = { partitionKey: 'pk', sortKey: 'sk' };

  it('takes the key from Item for PutItem and from Key otherwise', () => {
    const item = { pk: { S: 'a' }, sk: { S: 'item' }, value: { S: 'x' } };
    expect(primaryKeyOf('PutItem', { Item: item }, keys)).toEqual({ pk: { S: 'a' }, sk: { S: 'item' } });
    expect(primaryKeyOf('DeleteItem', { Key: { pk: { N: '1' }, sk: { S: 'b' } } }, keys)).toEqual({ pk: { N: '1' }, sk: { S: 'b' } });
  });

  it('returns undefined when a key attribute is missing', () => {
    expect(primaryKeyOf('UpdateItem', { Key: { pk: { S: 'a' } } }, keys)).toBeUndefined();
  });
});

describe('DelayedDeliveries', () => {
  it('runs a delivery only after the delay', async () => {
    // Prepare
    jest.useFakeTimers();
    try {
      const deliveries = new DelayedDeliveries(300);
      const delivered: string[] = [];
      // Act
      const done = deliveries.schedule(async () => void delivered.push('a'));
      jest.advanceTimersByTime(299);
      const early = [...delivered];
      jest.advanceTimersByTime(1);
      await done;
      // Assess
      expect(early).toEqual([]);
      expect(delivered).toEqual(['a']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('flush runs every pending delivery at once, in the order scheduled', async () => {
    const deliveries = new DelayedDeliveries(60_000);
    const delivered: string[] = [];
    deliveries.schedule(async () => void delivered.push('first'));
    deliveries.schedule(async () => void delivered.push('second'));
    await deliveries.flush();
    expect(delivered).toEqual(['first', 'second']);
  });

  it('dropAll settles pending deliveries without running them', async () => {
    const deliveries = new DelayedDeliveries(60_000);
    const deliver = jest.fn(async () => undefined);
    const pending = deliveries.schedule(deliver);
    deliveries.dropAll();
    await pending;
    await deliveries.waitIdle();
    expect(deliver).not.toHaveBeenCalled();
  });

  it('rejects a negative delay', () => {
    expect(() => new DelayedDeliveries(-1)).toThrow('replication delay: expected a delay >= 0 ms, got -1');
  });
});
