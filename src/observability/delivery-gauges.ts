// The delivery figures (SPEC section 12) as Prometheus gauges over the default 30-day window, per
// service and `service="all"`, read from the audit log at scrape time (cached by the reader).
import { Gauge, type Registry } from 'prom-client';
import type { DeliveryFigures, DeliveryReport } from '../insight/stats.ts';

type Read = (f: DeliveryFigures) => number | null;

const GAUGES: { name: string; help: string; value: Read }[] = [
  {
    name: 'runway_deployments_per_day',
    help: 'Deployment frequency: releases that went live per day over the window (dry runs and rollback releases excluded).',
    value: (f) => f.deploymentsPerDay,
  },
  {
    name: 'runway_change_failure_ratio',
    help: 'Change failure rate (0–1): changes rolled back or followed by an incident linked to them.',
    value: (f) => f.changeFailureRate,
  },
  {
    name: 'runway_time_to_restore_seconds',
    help: 'Median time to restore: incident declared → resolved, automatic rollback started → rolled back.',
    value: (f) => (f.timeToRestoreMs === null ? null : f.timeToRestoreMs / 1000),
  },
  {
    name: 'runway_lead_time_seconds',
    help: 'Median lead time for changes: oldest new commit → live (releases with a changelog).',
    value: (f) => (f.leadTimeMs === null ? null : f.leadTimeMs / 1000),
  },
  {
    name: 'runway_rollbacks_prevented_by_gates',
    help: 'Automatic rollbacks fired by a sustained gate breach over the window.',
    value: (f) => f.rollbacksPreventedByGates,
  },
];

export function registerDeliveryGauges(registry: Registry, report: () => Promise<DeliveryReport>): void {
  for (const spec of GAUGES) {
    new Gauge({
      name: spec.name,
      help: `${spec.help} Window: runway_delivery_window_days.`,
      labelNames: ['service'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const r = await report();
        // A figure with nothing to measure (no changes, no restores) is left out rather than shown as 0.
        const set = (service: string, f: DeliveryFigures) => {
          const value = spec.value(f);
          if (value !== null) this.set({ service }, value);
        };
        set('all', r.overall);
        for (const [service, f] of Object.entries(r.services)) set(service, f);
      },
    });
  }
  new Gauge({
    name: 'runway_delivery_window_days',
    help: 'The window, in days, the delivery figures are computed over.',
    registers: [registry],
    async collect() {
      this.set((await report()).days);
    },
  });
}
