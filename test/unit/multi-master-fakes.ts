/** Test double of one region's replica for the multi-master unit tests (not a test file itself). */
import type { ItemVersion, RegionalSnapshot, RegionalTable, WriteOutcome } from '../../lambdas/core/multi-master';

/** One region's replica in memory, with the same conditional semantics as the DynamoDB adapter. */
export class FakeRegionalTable implements RegionalTable {
  readonly items = new Map<string, ItemVersion>();
  readonly lastWrites = new Map<string, ItemVersion>();
  /** Forces the outcome of the next replace (e.g. 'refused' as MRSC would). */
  nextOutcome?: WriteOutcome;

  constructor(private readonly region: string) {}

  async read(id: string): Promise<RegionalSnapshot> {
    return { item: this.items.get(id), ourLastWrite: this.lastWrites.get(id) };
  }

  async replace(id: string, next: ItemVersion, replaces: ItemVersion | undefined): Promise<WriteOutcome> {
    const forced = this.nextOutcome;
    this.nextOutcome = undefined;
    if (forced !== undefined && forced !== 'written') return forced;
    const stored = this.items.get(id);
    const same =
      stored === undefined || replaces === undefined
        ? stored === replaces
        : stored.version === replaces.version &&
          stored.writerRegion === replaces.writerRegion &&
          stored.lineage[stored.writerRegion] === replaces.lineage[replaces.writerRegion];
    if (!same) return 'changed';
    this.items.set(id, next);
    return 'written';
  }

  async recordLastWrite(id: string, write: ItemVersion): Promise<void> {
    const previous = this.lastWrites.get(id);
    if (previous === undefined || (previous.lineage[this.region] ?? 0) < (write.lineage[this.region] ?? 0)) {
      this.lastWrites.set(id, write);
    }
  }
}
