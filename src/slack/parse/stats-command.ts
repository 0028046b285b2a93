// `/release stats [service] [--days N]`: which service (or all) and how many days back (default 30).
import type { Token } from './tokenize.ts';

export const MAX_STATS_DAYS = 365;

export type StatsArgs =
  { ok: true; value: { service?: string; days: number } } | { ok: false; error: string };

export function parseStatsArgs(args: readonly Token[], services: readonly string[]): StatsArgs {
  let service: string | undefined;
  let days = 30;
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (!token.quoted && token.value === '--days') {
      const next = args[i + 1]?.value ?? '';
      if (!/^\d{1,3}$/.test(next) || Number(next) < 1 || Number(next) > MAX_STATS_DAYS)
        return { ok: false, error: `--days takes a whole number of days from 1 to ${MAX_STATS_DAYS}.` };
      days = Number(next);
      i += 1;
    } else if (!token.quoted && services.includes(token.value) && service === undefined) {
      service = token.value;
    } else {
      const shown = token.value.length > 40 ? `${token.value.slice(0, 40)}…` : token.value;
      return {
        ok: false,
        error: `Unexpected "${shown}" after /release stats: say a service from the runbook (${services.join(', ')}) and/or --days N.`,
      };
    }
  }
  return { ok: true, value: { ...(service ? { service } : {}), days } };
}
