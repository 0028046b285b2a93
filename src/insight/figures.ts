// Reads the delivery figures from the audit log for /release stats, the App Home and /metrics. The
// log is read once per window and kept for a short while: a Prometheus scrape every 15 s and a few
// Home tabs opening must not each read a month of audit entries.
import type { AuditEntry } from '../store/audit-entry.ts';
import { deliveryReport, type DeliveryReport } from './stats.ts';

export const DEFAULT_STATS_DAYS = 30;
const CACHE_MS = 30_000;
const DAY_MS = 24 * 3600 * 1000;

export interface AuditSource {
  since(since?: Date): AsyncIterable<AuditEntry>;
}

export class DeliveryFiguresReader {
  private readonly cache = new Map<number, { at: number; report: Promise<DeliveryReport> }>();

  constructor(
    private readonly audit: AuditSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  report(days: number = DEFAULT_STATS_DAYS): Promise<DeliveryReport> {
    const now = this.now();
    const cached = this.cache.get(days);
    if (cached && now.getTime() - cached.at < CACHE_MS) return cached.report;
    const report = this.read(days, now);
    this.cache.set(days, { at: now.getTime(), report });
    report.catch(() => this.cache.delete(days));
    if (this.cache.size > 20) this.cache.clear();
    return report;
  }

  private async read(days: number, now: Date): Promise<DeliveryReport> {
    const entries: AuditEntry[] = [];
    // Releases started in the window may cite changelogs and incidents from just before it.
    for await (const entry of this.audit.since(new Date(now.getTime() - days * DAY_MS - DAY_MS)))
      entries.push(entry);
    return deliveryReport(entries, now, days);
  }
}
