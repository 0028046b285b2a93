// The due pump's bookkeeping over an in-memory due source: what a handler says decides whether the
// member is removed, and a member claimed again while its first claim is still in hand is handled
// again after it (the gate sampler arms the same member again for a steady reading).
import { describe, expect, it } from 'vitest';
import { DuePump, type ClaimHandler } from '../../../jobs/due-pump.ts';
import { createLogger } from '../../../src/log.ts';

class MemorySource {
  due: { member: string; n: number }[] = [];
  finished: string[] = [];
  async claim(_now: number, limit: number) {
    return this.due.splice(0, limit);
  }
  async finish(members: string[]) {
    this.finished.push(...members);
  }
  async extend() {}
}

const log = createLogger({ level: 'silent' });

describe('the due pump', () => {
  it.each([
    { outcome: true, removed: ['m'] },
    { outcome: false, removed: [] },
    { outcome: 'left' as const, removed: [] },
  ])('a handler answering $outcome: removed $removed', async ({ outcome, removed }) => {
    const source = new MemorySource();
    source.due.push({ member: 'm', n: 1 });
    const pump = new DuePump('test', source, async () => outcome, log, { tickMs: 5 });
    pump.start();
    await new Promise((r) => setTimeout(r, 50));
    await pump.stop();
    expect(source.finished).toEqual(removed);
  });

  it('handles a member claimed again while in hand after the first claim, not never', async () => {
    const source = new MemorySource();
    const handled: number[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const handle: ClaimHandler<{ member: string; n: number }> = async (c) => {
      if (c.n === 1) await first;
      handled.push(c.n);
      return 'left';
    };
    const pump = new DuePump('test', source, handle, log, { tickMs: 5 });
    source.due.push({ member: 'm', n: 1 });
    pump.start();
    await new Promise((r) => setTimeout(r, 30));
    source.due.push({ member: 'm', n: 2 });
    await new Promise((r) => setTimeout(r, 30));
    expect(source.due).toEqual([]);
    expect(handled).toEqual([]);
    release();
    await pump.stop();
    expect(handled).toEqual([1, 2]);
    expect(pump.busy()).toBe(0);
  });
});
