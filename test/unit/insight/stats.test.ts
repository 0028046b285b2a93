import { describe, expect, it } from 'vitest';
import { deliveryReport, median } from '../../../src/insight/stats.ts';
import type { AuditEntry } from '../../../src/store/audit-entry.ts';

const NOW = new Date('2026-03-31T12:00:00.000Z');
const MIN = 60_000;
let seq = 0;

/** Builds an audit log by hand: `at` is minutes after 2026-03-20T00:00Z. */
function entry(
  minute: number,
  action: string,
  fields: Partial<Omit<AuditEntry, 'id' | 'at' | 'action'>> = {},
): AuditEntry {
  const at = new Date(Date.parse('2026-03-20T00:00:00.000Z') + minute * MIN).toISOString();
  return {
    id: `${Date.parse(at)}-${seq++}`,
    at,
    actor: 'runway',
    action,
    environment: 'production',
    ...fields,
  };
}

function release(
  id: string,
  service: string,
  start: number,
  version: string,
  tail: [number, string, Record<string, unknown>?][],
  dryRun = false,
): AuditEntry[] {
  return [
    entry(start, 'release.started', { releaseId: id, service, actor: 'U1', details: { version, dryRun } }),
    ...tail.map(([m, action, details]) =>
      entry(m, action, { releaseId: id, service, ...(details ? { details } : {}) }),
    ),
  ];
}

const log: AuditEntry[] = [
  // checkout: three live, one rolled back automatically by a gate, one dry run, one later rolled back.
  ...release('c1', 'checkout', 0, 'v1.0.0', [
    [30, 'changelog.found', { total: 3, oldestAt: '2026-03-19T00:00:00.000Z' }],
    [60, 'release.completed'],
  ]),
  ...release('c2', 'checkout', 100, 'v1.1.0', [
    [110, 'gate.breach'],
    [115, 'gate.sustained_breach', { gate: 'error_rate' }],
    [115, 'rollback.automatic'],
    [119, 'rollback.done'],
    [120, 'incident.declared'],
  ]),
  ...release('c3', 'checkout', 200, 'v1.1.1', [[260, 'release.completed']]),
  ...release('c4', 'checkout', 300, 'v1.2.0', [[310, 'release.dry_run']], true),
  ...release('c5', 'checkout', 400, 'v1.2.0', [
    [420, 'changelog.found', { total: 1, oldestAt: '2026-03-20T05:00:00.000Z' }],
    [460, 'release.completed'],
  ]),
  // a rollback release takes c5's v1.2.0 back to v1.1.1: c5 failed; the rollback is not a deployment.
  entry(500, 'release.rollback_requested', {
    releaseId: 'r1',
    service: 'checkout',
    actor: 'U2',
    details: { from: 'v1.2.0', to: 'v1.1.1', reason: 'bad' },
  }),
  entry(503, 'rollback.done', { releaseId: 'r1', service: 'checkout' }),
  // an incident declared from the automatic rollback of c2, resolved 90 minutes later
  entry(120, 'incident.declared', { incidentId: 'inc-1', releaseId: 'c2', service: 'checkout' }),
  entry(210, 'incident.resolved', { incidentId: 'inc-1', releaseId: 'c2', service: 'checkout' }),
  // search: one live release followed by an incident linked to it; one rejected (never deployed).
  ...release('s1', 'search', 1000, 'v3.0.0', [
    [1030, 'release.completed'],
    [1100, 'release.incident_linked', { incidentId: 'inc-2' }],
  ]),
  entry(1100, 'incident.declared', { incidentId: 'inc-2', releaseId: 's1', service: 'search' }),
  ...release('s2', 'search', 1200, 'v3.1.0', [[1210, 'release.rejected']]),
  // an incident with no release, still open
  entry(1300, 'incident.declared', { incidentId: 'inc-3' }),
  // older than the window
  ...release('old', 'checkout', -30 * 24 * 60, 'v0.9.0', [[-30 * 24 * 60 + 10, 'release.completed']]),
];

describe('delivery figures over the audit log', () => {
  const report = deliveryReport(log, NOW, 30);

  it.each([
    ['checkout', { deployments: 3, changes: 4, failedChanges: 2, rollbacksPreventedByGates: 1 }],
    ['search', { deployments: 1, changes: 1, failedChanges: 1, rollbacksPreventedByGates: 0 }],
  ])('%s: deployments, changes, failed changes, gate rollbacks', (service, expected) => {
    expect(report.services[service]).toMatchObject(expected);
  });

  it('counts neither dry runs nor rollback releases as deployments', () => {
    expect(report.overall.deployments).toBe(4);
    expect(report.overall.deploymentsPerDay).toBeCloseTo(4 / 30);
  });

  it('change failure rate: rolled back, rolled back later, or followed by a linked incident', () => {
    expect(report.services.checkout?.changeFailureRate).toBe(0.5);
    expect(report.services.search?.changeFailureRate).toBe(1);
    expect(report.overall.changeFailureRate).toBeCloseTo(3 / 5);
  });

  it('time to restore: incidents declared → resolved and automatic rollbacks started → done', () => {
    // checkout: inc-1 took 90 minutes, c2's automatic rollback 4 minutes; inc-2 and inc-3 are open.
    expect(report.services.checkout).toMatchObject({ restores: 2, timeToRestoreMs: ((90 + 4) / 2) * MIN });
    expect(report.services.search).toMatchObject({ restores: 0, timeToRestoreMs: null });
    expect(report.overall.restores).toBe(2);
  });

  it('lead time for changes: oldest new commit → live, for releases with a changelog', () => {
    // c1: 2026-03-19T00:00 → 01:00 on the 20th = 25 h; c5: 05:00 → 07:40 = 160 min.
    expect(report.services.checkout).toMatchObject({
      leadTimeSamples: 2,
      leadTimeMs: ((25 * 60 + 160) / 2) * MIN,
    });
    expect(report.services.search?.leadTimeMs).toBeNull();
  });

  it('keeps to the window', () => {
    const short = deliveryReport(log, new Date('2026-03-20T10:00:00.000Z'), 0.5);
    expect(short.overall.deployments).toBe(3);
    expect(Object.keys(short.services)).toEqual(['checkout']);
    expect(deliveryReport([], NOW, 30).overall).toMatchObject({ deployments: 0, changeFailureRate: null });
  });

  it.each([
    [[], null],
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])('median of %j is %j', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});
