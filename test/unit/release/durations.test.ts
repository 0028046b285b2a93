// Durations as people read them in the thread and on the card: a `timeout: 1500ms` that fires is
// "timed out after 1.5s", not "2s"; whole seconds and longer durations read as before.
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/actions/command.ts';
import { formatDuration } from '../../../src/config/duration.ts';
import { createLogger } from '../../../src/log.ts';
import { describeBreach } from '../../../src/release/gates.ts';
import { stageLabel } from '../../../src/release/machine.ts';
import { gate } from '../../helpers/plan.ts';

describe('formatDuration keeps sub-second precision under a minute', () => {
  it.each([
    [0, '0ms'],
    [500, '500ms'],
    [999.4, '999ms'],
    [999.6, '1s'], // not "1000ms"
    [1000, '1s'],
    [1500, '1.5s'],
    [1950, '2s'],
    [2000, '2s'],
    [2250, '2.3s'],
    [12_345, '12.3s'],
    [30_000, '30s'],
    [59_940, '59.9s'],
    [59_960, '1m'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [90_400, '1m30s'], // above a minute, whole seconds are enough
    [1_800_000, '30m'],
    [5_400_000, '1h30m'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [
      'a hold on a stage label',
      () => stageLabel({ kind: 'traffic', percent: 10, holdMs: 1500, gates: [], action: 'traffic' }),
      'traffic 10%, hold 1.5s',
    ],
    ['a bake', () => stageLabel({ kind: 'bake', holdMs: 2500, gates: [] }), 'bake 2.5s'],
    [
      'a breach and its allowance',
      () =>
        describeBreach(
          gate('error_rate', { forMs: 1500 }),
          {
            value: 0.05,
            verdict: 'breach',
            at: '2026-11-24T18:00:01.600Z',
            breachSince: '2026-11-24T18:00:00.000Z',
            samples: 2,
            seq: 2,
          },
          new Date('2026-11-24T18:00:01.600Z'),
        ),
      'gate error_rate: 0.05 > max 0.005 for 1.6s (allowed 1.5s)',
    ],
  ])('%s', (_name, render, text) => {
    expect(render()).toBe(text);
  });
});

describe('a command action timing out after 1500 ms', () => {
  it('says "timed out after 1.5s"', async () => {
    const result = await runCommand(
      { command: ['sleep', '5'], timeout: 1500 },
      {
        vars: {
          version: 'v1',
          previous_version: null,
          service: 's',
          environment: 'e',
          release_id: 'r',
          requester: 'U',
        },
        idempotencyKey: 'k',
        signal: new AbortController().signal,
        log: createLogger({ level: 'silent' }),
      },
      { killGraceMs: 100 },
    );
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^timed out after 1\.5s\b/);
  });
});
