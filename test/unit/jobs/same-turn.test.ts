// Calls that become ready within a few milliseconds start together (their Redis commands share one
// auto-pipelined write); each caller still gets its own result or error.
import { describe, expect, it } from 'vitest';
import { SameTurn } from '../../../jobs/same-turn.ts';

describe('SameTurn', () => {
  it('starts the calls asked for together at once, after the turn that asked, and answers each', async () => {
    const turn = new SameTurn();
    const started: string[] = [];
    const call = (name: string) => async () => {
      started.push(name);
      if (name === 'bad') throw new Error('no');
      return name.toUpperCase();
    };
    const a = turn.run(call('a'));
    const b = turn.run(call('b'));
    const bad = turn.run(call('bad'));
    expect(started).toEqual([]); // nothing runs in the turn that asked
    await expect(a).resolves.toBe('A');
    expect(started).toEqual(['a', 'b', 'bad']); // all three began together
    await expect(b).resolves.toBe('B');
    await expect(bad).rejects.toThrow('no');
    // A later turn is a new group.
    await expect(turn.run(call('c'))).resolves.toBe('C');
    expect(started).toEqual(['a', 'b', 'bad', 'c']);
  });
});
