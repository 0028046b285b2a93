import { describe, expect, it } from 'vitest';
import { endReport, type EndedRelease } from '../../../src/insight/deployment-report.ts';

const rollback = (toVersion: string | null): EndedRelease['rollback'] => ({
  reason: 'error_rate 0.05 > 0.005',
  by: 'runway',
  at: '',
  automatic: true,
  steps: [],
  toVersion,
});
const rel = (over: Partial<EndedRelease>): EndedRelease => ({
  kind: 'release',
  state: 'completed',
  version: 'v1.1.0',
  previousVersion: 'v1.0.0',
  ...over,
});

describe('what GitHub is told when a release ends', () => {
  it.each<[string, EndedRelease, string | null, string | null]>([
    ['a release that went live: success', rel({}), 'success', null],
    [
      'a release rolled back: failure, its previous version restored',
      rel({ state: 'rolled_back', rollback: rollback('v1.0.0') }),
      'failure',
      'v1.0.0 success',
    ],
    ['a release whose walk back failed: error, nothing restored', rel({ state: 'failed' }), 'error', null],
    ['an aborted release: error', rel({ state: 'aborted' }), 'error', null],
    ['a rejected release: nothing', rel({ state: 'rejected' }), null, null],
    [
      'a rolled-back release with no known previous version: failure only',
      rel({ state: 'rolled_back', previousVersion: null, rollback: rollback(null) }),
      'failure',
      null,
    ],
    [
      'a rollback release that finished: its target restored',
      rel({ kind: 'rollback', state: 'rolled_back', rollback: rollback('v1.0.0') }),
      null,
      'v1.0.0 success',
    ],
    [
      'a rollback release that failed: its target in error',
      rel({ kind: 'rollback', state: 'failed' }),
      null,
      'v1.0.0 error',
    ],
  ])('%s', (_what, release, own, restore) => {
    const report = endReport(release);
    expect(report?.own?.outcome ?? null).toBe(own);
    expect(report?.restore ? `${report.restore.version} ${report.restore.outcome}` : null).toBe(restore);
  });

  it('restores only a release that got as far as deploying; a rollback release always', () => {
    expect(endReport(rel({ state: 'rolled_back' }))?.restore?.onlyIfDeployed).toBe(true);
    expect(endReport(rel({ kind: 'rollback', state: 'rolled_back' }))?.restore?.onlyIfDeployed).toBe(false);
  });
});
