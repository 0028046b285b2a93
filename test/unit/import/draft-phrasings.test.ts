// Small runbooks in the phrasings SPEC 13 quotes, and near variants of them, through draftRunbook:
// what each line becomes, and that what cannot be placed stays among the kept lines.
import { describe, expect, it } from 'vitest';
import { draftRunbook } from '../../../src/import/import.ts';

const md = (...lines: string[]) => lines.join('\n');

describe('traffic stages', () => {
  it('reads a bare "(45min)" on the shift\'s own line as its hold', () => {
    const draft = draftRunbook(md('# Shop', '', '## Rollout', '', '1. Route 25% of traffic (45min)'));
    expect(draft.stages).toMatchObject([{ traffic: 25, hold: { duration: '45m' } }]);
    expect(draft.stages[0]?.cites.map((c) => c.line)).toEqual([5, 5]);
  });

  it('does not take a bare "(5min)" from a later line as the hold', () => {
    const draft = draftRunbook(
      md('## Rollout', '', '1. Route 25% of traffic', '2. Check the dashboards (5min)'),
    );
    expect(draft.stages).toMatchObject([{ traffic: 25 }]);
    expect(draft.stages[0]?.hold).toBeUndefined();
  });
});
