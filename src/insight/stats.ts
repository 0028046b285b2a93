// Delivery figures (SPEC section 12) as pure functions over audit entries: deployment frequency,
// change failure rate, time to restore, lead time for changes and rollbacks prevented by gates, per
// service and overall. Dry runs and rollback releases are not deployments. A release belongs to the
// window its start falls in; an incident to the window it was declared in.
import type { AuditEntry } from '../store/audit-entry.ts';

export interface DeliveryFigures {
  /** Releases that went live (completed). */
  deployments: number;
  deploymentsPerDay: number;
  /** Releases that changed production: those that went live plus those rolled back. */
  changes: number;
  /** Rolled back (during the release or by a later rollback) or followed by an incident linked to them. */
  failedChanges: number;
  changeFailureRate: number | null;
  /** Incidents resolved and automatic rollbacks finished: how many, and the median time to restore. */
  restores: number;
  timeToRestoreMs: number | null;
  /** Releases that went live with a changelog: the median time from their oldest new commit to live. */
  leadTimeSamples: number;
  leadTimeMs: number | null;
  /** Automatic rollbacks fired by a sustained gate breach: bad versions stopped before full rollout. */
  rollbacksPreventedByGates: number;
}

export interface DeliveryReport {
  days: number;
  since: string;
  until: string;
  overall: DeliveryFigures;
  services: Record<string, DeliveryFigures>;
}

interface ReleaseFacts {
  id: string;
  service: string;
  environment: string;
  version: string;
  startedAt: number;
  kind: 'release' | 'rollback' | 'dry_run';
  /** A rollback release: the version it rolled back from. */
  rolledBackFrom?: string;
  completedAt?: number;
  rollbackStartedAt?: number;
  automaticRollback?: boolean;
  rolledBackAt?: number;
  gateBreach?: boolean;
  incident?: boolean;
  oldestCommitAt?: number;
}

interface IncidentFacts {
  service?: string;
  declaredAt: number;
  resolvedAt?: number;
}

const DAY_MS = 24 * 3600 * 1000;

export function deliveryReport(entries: readonly AuditEntry[], until: Date, days: number): DeliveryReport {
  const since = until.getTime() - days * DAY_MS;
  const { releases, incidents } = collect(entries);
  const inWindow = [...releases.values()].filter(
    (r) => r.startedAt >= since && r.startedAt <= until.getTime(),
  );
  markLaterRollbacks(releases);
  const incidentsInWindow = [...incidents.values()].filter(
    (i) => i.declaredAt >= since && i.declaredAt <= until.getTime(),
  );
  const services = [...new Set(inWindow.map((r) => r.service))].sort();
  return {
    days,
    since: new Date(since).toISOString(),
    until: until.toISOString(),
    overall: figures(inWindow, incidentsInWindow, days),
    services: Object.fromEntries(
      services.map((s) => [
        s,
        figures(
          inWindow.filter((r) => r.service === s),
          incidentsInWindow.filter((i) => i.service === s),
          days,
        ),
      ]),
    ),
  };
}

function collect(entries: readonly AuditEntry[]): {
  releases: Map<string, ReleaseFacts>;
  incidents: Map<string, IncidentFacts>;
} {
  const releases = new Map<string, ReleaseFacts>();
  const incidents = new Map<string, IncidentFacts>();
  for (const e of entries) {
    const at = Date.parse(e.at);
    const d = e.details ?? {};
    if (e.action === 'incident.declared' && e.incidentId) {
      incidents.set(e.incidentId, { declaredAt: at, ...(e.service ? { service: e.service } : {}) });
    }
    if (e.action === 'incident.resolved' && e.incidentId) {
      const incident = incidents.get(e.incidentId);
      if (incident) incident.resolvedAt = at;
    }
    if (!e.releaseId) continue;
    if (e.action === 'release.started' || e.action === 'release.rollback_requested') {
      if (releases.has(e.releaseId)) continue; // a rollback asked for during a release is not a start
      const rollback = e.action === 'release.rollback_requested';
      releases.set(e.releaseId, {
        id: e.releaseId,
        service: e.service ?? '',
        environment: e.environment ?? '',
        version: String((rollback ? d.to : d.version) ?? ''),
        startedAt: at,
        kind: rollback ? 'rollback' : d.dryRun === true ? 'dry_run' : 'release',
        ...(rollback && typeof d.from === 'string' ? { rolledBackFrom: d.from } : {}),
      });
      continue;
    }
    const r = releases.get(e.releaseId);
    if (!r) continue;
    switch (e.action) {
      case 'release.completed':
        r.completedAt = at;
        break;
      case 'rollback.automatic':
      case 'rollback.requested':
        r.rollbackStartedAt ??= at;
        r.automaticRollback = e.action === 'rollback.automatic';
        break;
      case 'rollback.done':
        r.rolledBackAt = at;
        break;
      case 'gate.sustained_breach':
        r.gateBreach = true;
        break;
      case 'incident.declared':
      case 'release.incident_linked':
        r.incident = true;
        break;
      case 'changelog.found':
        if (typeof d.oldestAt === 'string') r.oldestCommitAt = Date.parse(d.oldestAt);
        break;
    }
  }
  return { releases, incidents };
}

/** A rollback release after a completed one marks that one failed: it was rolled back in production. */
function markLaterRollbacks(releases: Map<string, ReleaseFacts>): void {
  const all = [...releases.values()].sort((a, b) => a.startedAt - b.startedAt);
  for (const rollback of all) {
    if (rollback.kind !== 'rollback' || !rollback.rolledBackFrom) continue;
    const target = all
      .filter(
        (r) =>
          r.kind === 'release' &&
          r.completedAt !== undefined &&
          r.completedAt <= rollback.startedAt &&
          r.service === rollback.service &&
          r.environment === rollback.environment &&
          r.version === rollback.rolledBackFrom,
      )
      .at(-1);
    if (target) target.rollbackStartedAt ??= rollback.startedAt;
  }
}

function figures(
  releases: readonly ReleaseFacts[],
  incidents: readonly IncidentFacts[],
  days: number,
): DeliveryFigures {
  const real = releases.filter((r) => r.kind === 'release');
  const live = real.filter((r) => r.completedAt !== undefined);
  const changes = real.filter((r) => r.completedAt !== undefined || r.rollbackStartedAt !== undefined);
  const failed = changes.filter((r) => r.rollbackStartedAt !== undefined || r.incident === true);
  const restores = [
    ...incidents.flatMap((i) => (i.resolvedAt !== undefined ? [i.resolvedAt - i.declaredAt] : [])),
    ...real.flatMap((r) =>
      r.automaticRollback && r.rollbackStartedAt !== undefined && r.rolledBackAt !== undefined
        ? [r.rolledBackAt - r.rollbackStartedAt]
        : [],
    ),
  ];
  const leadTimes = live.flatMap((r) =>
    r.oldestCommitAt !== undefined && r.completedAt !== undefined ? [r.completedAt - r.oldestCommitAt] : [],
  );
  return {
    deployments: live.length,
    deploymentsPerDay: days > 0 ? live.length / days : 0,
    changes: changes.length,
    failedChanges: failed.length,
    changeFailureRate: changes.length > 0 ? failed.length / changes.length : null,
    restores: restores.length,
    timeToRestoreMs: median(restores),
    leadTimeSamples: leadTimes.length,
    leadTimeMs: median(leadTimes),
    rollbacksPreventedByGates: real.filter((r) => r.automaticRollback && r.gateBreach).length,
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
