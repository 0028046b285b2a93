import { describe, expect, it } from 'vitest';
import { sim } from './machine-fixture.ts';

describe('release machine: dry run', () => {
  it('a dry run prints every stage and touches nothing', () => {
    const s = sim(undefined, {}, { dryRun: true, dryRunNotes: ['Releases of checkout are frozen'] });
    expect(s.release.state).toBe('completed');
    const kinds = new Set(s.effects.map((e) => e.type));
    for (const k of [
      'runAction',
      'scheduleGateSample',
      'scheduleHoldEnd',
      'releaseLock',
      'recordDeployed',
      'postHandoff',
    ]) {
      expect(kinds.has(k as never)).toBe(false);
    }
    const text = s.posts().join('\n');
    expect(text).toContain('./ops/deploy.sh v1.2.3');
    expect(text).toContain('./ops/rollback.sh v1.2.2');
    expect(text).toContain('traffic 10%, hold 30m');
    expect(text).toContain('frozen');
  });
});
