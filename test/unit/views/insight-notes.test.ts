import { describe, expect, it } from 'vitest';
import { chartNote, chartSubtitle } from '../../../src/insight/notes.ts';
import { chartTitle, insightNoteText } from '../../../src/slack/views/insight.ts';

const release = {
  id: 'r1',
  service: 'checkout',
  version: 'v1.3.0',
  environment: 'production',
};

describe('insight notes in the release thread', () => {
  it('says there is no changelog, and why', () => {
    expect(
      insightNoteText({ kind: 'noChangelog', reason: 'v9.9.9 is not in the git clone at /srv/shop' }),
    ).toBe(':page_facing_up: No changelog for this release: v9.9.9 is not in the git clone at /srv/shop.');
  });

  it.each([
    [
      'an automatic rollback',
      { ...release, rollback: { automatic: true, reason: 'error_rate 0.05 > 0.005 for 5m' } },
      'Canary chart at the breach: error_rate 0.05 &gt; 0.005 for 5m.',
      'Rolled back: error_rate 0.05 > 0.005 for 5m',
    ],
    [
      'a pause by a gate',
      { ...release, pause: { reason: 'p99 7s > 5s' } },
      'Canary chart at the breach: p99 7s &gt; 5s.',
      'Paused: p99 7s > 5s',
    ],
  ])('comments a breach chart after %s, and draws the reason into it', (_what, r, comment, subtitle) => {
    const note = chartNote(r, 'breach', 12);
    expect(insightNoteText(note)).toContain(comment);
    expect(chartSubtitle(note)).toBe(subtitle);
    expect(chartTitle(note)).toBe('Canary chart: checkout v1.3.0 (breach)');
  });

  it('comments the chart of a completed release', () => {
    const note = chartNote(release, 'completed', 40);
    expect(insightNoteText(note)).toContain('Canary chart of *checkout v1.3.0*');
    expect(chartSubtitle(note)).toBe('Live in production');
    expect(note.stopped).toBeUndefined();
  });
});
