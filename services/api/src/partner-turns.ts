/**
 * Turns at one thing at a time (adding a chunk of a job's tasks to the queue), shared round-robin
 * between partners, then first come first served within a partner. First come first served alone let
 * a partner posting forty 100-user jobs a second put a chunk of each of them ahead of every chunk of
 * another partner's 10,000-user job, whose tasks then reached the queue at a few hundred a second:
 * however the queue shares the workers, tasks not in it yet get none of them. In rounds, a partner
 * waits for at most one chunk of each other partner's between two of its own.
 */
export class PartnerTurns {
  /** The partner whose turn it is (none: nobody's), and its turns waiting meanwhile. */
  private holder: { partnerId: string; waiting: (() => void)[] } | undefined;
  /** The other partners' waiting turns, in the round's order (insertion order: the longest waiting first). */
  private readonly waiting = new Map<string, (() => void)[]>();

  /** Waits for `partnerId`'s turn; resolves to the function that ends it (call it once). */
  async take(partnerId: string): Promise<() => void> {
    if (!this.holder) {
      this.holder = { partnerId, waiting: [] };
      return () => this.next();
    }
    const holder = this.holder;
    await new Promise<void>((resolve) => {
      const own = holder.partnerId === partnerId ? holder.waiting : this.waiting.get(partnerId);
      if (own) own.push(resolve);
      else this.waiting.set(partnerId, [resolve]);
    });
    return () => this.next();
  }

  /** Partners with turns waiting. */
  get partnersWaiting(): number {
    return this.waiting.size + (this.holder?.waiting.length ? 1 : 0);
  }

  private next(): void {
    // The partner whose turn ends goes to the back of the round, if it has more waiting.
    if (this.holder && this.holder.waiting.length > 0) this.waiting.set(this.holder.partnerId, this.holder.waiting);
    const first = this.waiting.entries().next();
    if (first.done) {
      this.holder = undefined;
      return;
    }
    const [partnerId, own] = first.value;
    this.waiting.delete(partnerId);
    const resolve = own.shift()!;
    this.holder = { partnerId, waiting: own };
    resolve();
  }
}
