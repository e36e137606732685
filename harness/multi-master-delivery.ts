/**
 * LAB COMPONENT (never deployed): the replication delay of the global-table replicator. Each
 * delivery runs after the delay; `flush()` runs the pending ones at once, `waitIdle()` waits for
 * them, `dropAll()` abandons them (stop).
 */
interface Scheduled {
  readonly timer: NodeJS.Timeout;
  fire(): void;
  drop(): void;
}

export class DelayedDeliveries {
  private readonly scheduled = new Set<Scheduled>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private delayMs: number) {
    this.setDelay(delayMs);
  }

  /**
   * Changes the delay of deliveries scheduled from now on. Lowering it while some are pending
   * may deliver a later write of an item before an earlier one (LWW still converges on the later).
   */
  setDelay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`replication delay: expected a delay >= 0 ms, got ${ms}`);
    this.delayMs = ms;
  }

  /** Runs `deliver` after the delay; the promise settles when it has run (or was dropped), never rejects. */
  schedule(deliver: () => Promise<void>): Promise<void> {
    const delivery = new Promise<void>((resolve) => {
      const entry: Scheduled = {
        timer: setTimeout(() => entry.fire(), this.delayMs),
        fire: () => {
          clearTimeout(entry.timer);
          if (this.scheduled.delete(entry)) deliver().then(resolve, () => resolve());
        },
        drop: () => {
          clearTimeout(entry.timer);
          if (this.scheduled.delete(entry)) resolve();
        },
      };
      this.scheduled.add(entry);
    });
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
    return delivery;
  }

  /** Runs every pending delivery now, in the order scheduled, and waits until all have run. */
  async flush(): Promise<void> {
    for (const entry of [...this.scheduled]) entry.fire();
    await this.waitIdle();
  }

  /** Waits until every scheduled delivery has run after its delay. */
  async waitIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  dropAll(): void {
    for (const entry of [...this.scheduled]) entry.drop();
  }
}
