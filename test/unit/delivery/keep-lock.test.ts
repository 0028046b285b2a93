import { describe, expect, it } from 'vitest';
import { whileHolding } from '../../../src/slack/delivery/keep-lock.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('keeping a lane lock through one long delivery', () => {
  it('renews all along while the work runs, and once at its end', async () => {
    let renewals = 0;
    const renew = async () => (renewals++, true);
    const result = await whileHolding(renew, 20, async () => (await sleep(110), 'done'));
    expect(result).toEqual({ value: 'done', held: true });
    expect(renewals).toBeGreaterThanOrEqual(4);
    const after = renewals;
    await sleep(60);
    expect(renewals).toBe(after); // stopped once the work is done
  });

  it('says the lock was lost when a renewal found it taken', async () => {
    const answers = [true, false];
    const renew = async () => answers.shift() ?? true;
    expect((await whileHolding(renew, 20, () => sleep(80))).held).toBe(false);
  });

  it('is not lost because one renewal could not reach Redis', async () => {
    let calls = 0;
    const renew = async () => {
      if (calls++ === 0) throw new Error('ECONNRESET');
      return true;
    };
    expect((await whileHolding(renew, 20, () => sleep(50))).held).toBe(true);
  });
});
