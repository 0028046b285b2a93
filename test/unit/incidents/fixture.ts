// Incidents and audit entries for unit tests.
import type { Incident } from '../../../src/incidents/types.ts';
import type { AuditEntry } from '../../../src/store/audit-entry.ts';

export const STARTED = '2026-11-24T18:00:00.000Z';

export function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-20261124-checkout-errors-after-v1-2-3',
    rev: 1,
    severity: 'sev2',
    title: 'Checkout errors after v1.2.3',
    status: 'declared',
    commander: 'UALICE',
    declaredBy: 'UALICE',
    startedAt: STARTED,
    channelId: 'CINC1',
    lastUpdateAt: STARTED,
    updates: [],
    paging: { status: 'pending', via: 'pagerduty', attempts: 0 },
    ...over,
  };
}

let seq = 0;
export function entry(at: string, action: string, over: Partial<AuditEntry> = {}): AuditEntry {
  seq += 1;
  return { id: `${Date.parse(at)}-${seq}`, at, actor: 'runway', action, ...over };
}

export const minutes = (n: number, from = STARTED): string =>
  new Date(Date.parse(from) + n * 60_000).toISOString();
