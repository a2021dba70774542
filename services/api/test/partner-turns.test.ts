import { describe, expect, it } from 'vitest';
import { PartnerTurns } from '../src/partner-turns.ts';

/** Starts `chunks` turns of `partner` (as a job enqueueing that many chunks would) and notes who got each. */
function enqueue(turns: PartnerTurns, partner: string, chunks: number, order: string[]): Promise<void> {
  return (async () => {
    for (let i = 0; i < chunks; i++) {
      const release = await turns.take(partner);
      order.push(partner);
      await new Promise((resolve) => setTimeout(resolve, 1));
      release();
    }
  })();
}

describe('PartnerTurns', () => {
  it("gives a partner's big job every other turn while another partner's many small jobs wait", async () => {
    const turns = new PartnerTurns();
    const order: string[] = [];
    // The flooder's forty one-chunk jobs queue first, then the victim's job of ten chunks.
    const flood = Array.from({ length: 40 }, () => enqueue(turns, 'flooder', 1, order));
    const big = enqueue(turns, 'victim', 10, order);
    await Promise.all([...flood, big]);
    expect(order).toHaveLength(50);
    // First come first served would have put all forty flooder chunks first; in rounds the victim's
    // ten chunks are done within the first twenty turns after its arrival.
    const lastVictimTurn = order.lastIndexOf('victim');
    expect(lastVictimTurn).toBeLessThanOrEqual(21);
    expect(order.slice(0, 21).filter((p) => p === 'victim')).toHaveLength(10);
    expect(turns.partnersWaiting).toBe(0);
  });

  it('serves one partner first come first served, one turn at a time', async () => {
    const turns = new PartnerTurns();
    let holding = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        (async () => {
          const release = await turns.take('p');
          holding++;
          most = Math.max(most, holding);
          order.push(i);
          await new Promise((resolve) => setTimeout(resolve, 2));
          holding--;
          release();
        })(),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});
