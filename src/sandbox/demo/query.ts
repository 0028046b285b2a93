// The few PromQL shapes the demo runbook's gates use, evaluated over the simulated traffic. Not a
// PromQL engine: an error ratio `sum(rate(x{code=~"5.."}[w])) / sum(rate(x[w]))`, a latency
// quantile `histogram_quantile(q, …[w])`, optionally narrowed by `version="…"`, and `up`.
import { parseDuration } from '../../config/duration.ts';
import { quantile, windowStats, type Tick } from './traffic-model.ts';

export type QueryResult = { ok: true; value: number | null } | { ok: false; error: string };

export function evaluate(query: string, ticks: readonly Tick[], now: number): QueryResult {
  const q = query.trim();
  if (q === 'up' || q === 'up{job="demo"}') return { ok: true, value: 1 };
  const windowText = /\[(\d+(?:ms|s|m|h))\]/.exec(q)?.[1];
  const windowMs = windowText ? (parseDuration(windowText) ?? 60_000) : 60_000;
  const version = /version\s*=\s*"([^"]+)"/.exec(q)?.[1];
  const stats = windowStats(ticks, now, windowMs, version);
  const quantileArg = /histogram_quantile\(\s*([0-9.]+)\s*,/.exec(q)?.[1];
  if (quantileArg) {
    const seconds = quantile(stats.latencies, Number(quantileArg));
    return { ok: true, value: seconds === null ? null : seconds / 1000 };
  }
  if (/code\s*=~\s*"5\.\."/.test(q) && q.includes('/')) {
    return { ok: true, value: stats.requests === 0 ? null : stats.errors / stats.requests };
  }
  if (/^sum\(rate\(http_requests_total(\{[^}]*\})?\[\w+\]\)\)$/.test(q)) {
    return { ok: true, value: stats.requests / (windowMs / 1000) };
  }
  return {
    ok: false,
    error: `the demo service understands error-ratio, histogram_quantile and up queries, not: ${q}`,
  };
}
