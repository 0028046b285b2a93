// Promotion between environments: a start in production needs this exact version completed in
// staging at least `soak` ago; what is missing and how long is left are said; --hotfix overrides.
import { describe, expect, it } from 'vitest';
import {
  onPromotionLinked,
  promotionPolicy,
  promotionRefusal,
  promotionVerdict,
  type PromotionFacts,
} from '../../../src/release/promotion.ts';
import { decide } from '../../../src/release/machine.ts';
import type { Release } from '../../../src/release/types.ts';
import { makePlan } from '../../helpers/plan.ts';
import { approve, isFinal, sim } from './machine-fixture.ts';
import type { Simulator } from '../../helpers/simulate.ts';

const notesOf = (s: Simulator) => s.effects.flatMap((e) => (e.type === 'postInThread' ? [e.note] : []));

const NOW = new Date('2026-11-24T18:00:00Z');
const MIN = 60_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

function facts(over: Partial<PromotionFacts>): PromotionFacts {
  return {
    service: 'checkout',
    environment: 'production',
    version: 'v1.2.3',
    promotion: { from: 'staging', soakMs: 60 * MIN },
    completedAt: null,
    latestThere: null,
    ...over,
  };
}

describe('promotionVerdict', () => {
  const cases: {
    name: string;
    facts: Partial<PromotionFacts>;
    ok: boolean;
    missing?: string;
    leftMs?: number;
    says?: RegExp[];
  }[] = [
    {
      name: 'refuses a version that never completed in staging, when nothing did',
      facts: {},
      ok: false,
      missing: 'never_completed',
      says: [
        /checkout production is promoted from staging/,
        /v1\.2\.3 has never completed in staging/,
        /nothing has completed there yet/,
        /--hotfix/,
      ],
    },
    {
      name: 'refuses when only another version completed in staging, naming it',
      facts: { latestThere: 'v1.2.2' },
      ok: false,
      missing: 'never_completed',
      says: [/v1\.2\.3 has never completed in staging/, /the last version completed there is v1\.2\.2/],
    },
    {
      name: 'refuses a version completed too recently, saying how long is left',
      facts: { completedAt: ago(20 * MIN), latestThere: 'v1.2.3' },
      ok: false,
      missing: 'soaking',
      leftMs: 40 * MIN,
      says: [/soak of 1h/, /v1\.2\.3 completed in staging 20m ago/, /40m left/],
    },
    {
      name: 'refuses one second before the soak is over',
      facts: { completedAt: ago(60 * MIN - 1000) },
      ok: false,
      missing: 'soaking',
      leftMs: 1000,
      says: [/1s left/],
    },
    { name: 'allows exactly at the end of the soak', facts: { completedAt: ago(60 * MIN) }, ok: true },
    {
      name: 'allows a version completed long enough ago',
      facts: { completedAt: ago(5 * 60 * MIN) },
      ok: true,
    },
    {
      name: 'allows at once with no soak',
      facts: { completedAt: ago(0), promotion: { from: 'staging', soakMs: 0 } },
      ok: true,
    },
    {
      name: 'treats a completion stamped in the future (clock skew) as just now',
      facts: { completedAt: new Date(NOW.getTime() + 5 * MIN).toISOString() },
      ok: false,
      missing: 'soaking',
      leftMs: 60 * MIN,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const verdict = promotionVerdict(facts(c.facts), NOW);
      expect(verdict.ok).toBe(c.ok);
      if (verdict.ok) return;
      expect(verdict.missing).toBe(c.missing);
      if (c.leftMs !== undefined) expect(verdict.leftMs).toBe(c.leftMs);
      for (const re of c.says ?? []) expect(verdict.reason).toMatch(re);
    });
  }
});

describe('promotionPolicy', () => {
  const refused = promotionVerdict(facts({ completedAt: ago(10 * MIN) }), NOW);
  it('refuses without a hotfix', () => {
    const p = promotionPolicy(refused, { hotfix: false, dryRun: false });
    expect(p.refusal).toMatch(/50m left/);
    expect(p.overrides).toEqual([]);
  });
  it('lets a hotfix through, with the override to audit', () => {
    const p = promotionPolicy(refused, { hotfix: true, dryRun: false });
    expect(p.refusal).toBeNull();
    expect(p.overrides).toHaveLength(1);
    expect(p.overrides[0]).toMatch(/^hotfix override: .*staging/);
  });
  it('reports it in a dry run without refusing', () => {
    const p = promotionPolicy(refused, { hotfix: false, dryRun: true });
    expect(p.refusal).toBeNull();
    expect(p.notes[0]).toMatch(/A real start would be refused: .*50m left/);
  });
  it('has nothing to say when the promotion is allowed', () => {
    expect(promotionPolicy({ ok: true }, { hotfix: false, dryRun: false })).toEqual({
      refusal: null,
      overrides: [],
      notes: [],
    });
  });
});

/** A staging release of a plan that promotes to production, run to completion. */
function completedStaging(): Release {
  return runToEnd(
    sim(
      { ...makePlan(), promotesTo: ['production'] },
      {},
      { id: 'checkout-staging-1', environment: 'staging' },
    ),
  ).release;
}

/** Approve, confirm the approval stage, run to the end. */
function runToEnd(s: Simulator): Simulator {
  approve(s);
  s.runUntil((r) => r.stages[3]?.phase === 'approval');
  s.send({ type: 'promoteRequested', actor: { user: 'UBOB' } });
  s.runUntil(isFinal);
  return s;
}

describe('completion in a source environment', () => {
  it('offers a start in each environment that promotes from it', () => {
    const s = runToEnd(sim({ ...makePlan(), promotesTo: ['production'] }, {}, { environment: 'staging' }));
    expect(s.release.state).toBe('completed');
    const released = notesOf(s).find((n) => n.kind === 'released');
    expect(released).toMatchObject({ environment: 'staging', promoteTo: ['production'] });
  });
  it('offers nothing where no environment promotes from it', () => {
    const s = runToEnd(sim());
    expect(s.release.state).toBe('completed');
    expect(notesOf(s).find((n) => n.kind === 'released')).not.toHaveProperty('promoteTo');
  });
});

describe('promotionRefusal (the Start in button)', () => {
  const done = completedStaging();
  it('accepts a completed release for an environment that promotes from it', () => {
    expect(promotionRefusal(done, 'production')).toBeNull();
  });
  it('refuses an environment that does not promote from it', () => {
    expect(promotionRefusal(done, 'eu')).toMatch(/does not promote from staging/);
  });
  it('refuses a release that did not complete', () => {
    expect(promotionRefusal({ ...done, state: 'rolled_back' }, 'production')).toMatch(
      /Only a completed release/,
    );
  });
});

describe('promotionLinked', () => {
  const link = {
    releaseId: 'checkout-production-2',
    environment: 'production',
    card: { channel: 'CREL', ts: '1.2' },
  };
  it('links the source card to the new one once, with a thread line and an audit entry', () => {
    const done = completedStaging();
    const first = decide(done, { type: 'promotionLinked', link, by: 'UBOB' }, NOW);
    expect(first.refused).toBe(false);
    if (first.refused) return;
    expect(first.release.promotedTo).toEqual([link]);
    expect(first.release.state).toBe('completed');
    expect(first.effects.map((e) => e.type).sort()).toEqual(['audit', 'postInThread', 'updateCard']);
    const again = decide(first.release, { type: 'promotionLinked', link, by: 'UBOB' }, NOW);
    expect(again.refused === false && again.release === first.release && again.effects).toEqual([]);
  });
  it('ignores a link without a card', () => {
    const done = completedStaging();
    const d = { r: structuredClone(done), fx: [], now: NOW };
    expect(
      onPromotionLinked(d, { type: 'promotionLinked', link: { ...link, card: undefined }, by: 'U' }),
    ).toBe('ignored');
  });
});
