import { describe, expect, it } from 'vitest';
import { SavedReleases } from '../../../jobs/saved-releases.ts';
import type { Release } from '../../../src/release/types.ts';
import { isSteadySave } from '../../../src/store/steady-saves.ts';

const release = (id: string, rev: number) => ({ id, rev }) as Release;

describe('SavedReleases', () => {
  it.each([
    { kept: 4, stored: 4, served: true },
    { kept: 4, stored: 5, served: false }, // someone saved since
    { kept: 4, stored: null, served: false }, // the release is gone
  ])('kept at rev $kept, stored at $stored: served $served', ({ kept, stored, served }) => {
    const saved = new SavedReleases();
    const r = release('r1', kept);
    saved.keep(r);
    expect(saved.get('r1', stored)).toBe(served ? r : undefined);
  });

  it('drops a copy found stale, and forgets on request', () => {
    const saved = new SavedReleases();
    saved.keep(release('a', 1));
    saved.keep(release('b', 1));
    expect(saved.get('a', 2)).toBeUndefined();
    expect(saved.get('a', 1)).toBeUndefined(); // not served again once found stale
    saved.forget('b');
    expect(saved.size).toBe(0);
  });

  it('keeps the newest copy of a release', () => {
    const saved = new SavedReleases();
    saved.keep(release('a', 1));
    const newer = release('a', 2);
    saved.keep(newer);
    expect(saved.get('a', 2)).toBe(newer);
    expect(saved.size).toBe(1);
  });
});

describe('isSteadySave', () => {
  const one = { arms: [{ member: 'r/g/0/1', dueMs: 1 }], samples: [{ row: '{}', atMs: 1 }], cardDueMs: 5 };
  it.each([
    { what: 'a steady reading', final: false, effects: 0, audit: 0, inline: one, steady: true },
    {
      what: 'nothing inline',
      final: false,
      effects: 0,
      audit: 0,
      inline: { ...one, arms: [], samples: [] },
      steady: true,
    },
    { what: 'a final state', final: true, effects: 0, audit: 0, inline: one, steady: false },
    { what: 'an outbox effect', final: false, effects: 1, audit: 0, inline: one, steady: false },
    { what: 'an audit entry', final: false, effects: 0, audit: 1, inline: one, steady: false },
    {
      what: 'two arms',
      final: false,
      effects: 0,
      audit: 0,
      inline: { ...one, arms: [...one.arms, ...one.arms] },
      steady: false,
    },
    {
      what: 'two samples',
      final: false,
      effects: 0,
      audit: 0,
      inline: { ...one, samples: [...one.samples, ...one.samples] },
      steady: false,
    },
  ])('$what → steady $steady', ({ final, effects, audit, inline, steady }) => {
    expect(
      isSteadySave(
        final,
        Array.from({ length: effects }, () => ({ type: 'updateCard' as const })),
        Array.from({ length: audit }, () => ({ actor: 'U1', action: 'pause' })),
        inline,
      ),
    ).toBe(steady);
  });
});
