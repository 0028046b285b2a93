// Thresholds: a metric, a comparison and a number with its unit ("Error rate >5% for 5 minutes",
// "P99 latency >5s sustained 10min", ">1000 messages pending for 15min", "condition: error_rate > 5%").
// The bound follows the metric (an error rate or a latency has a max, an availability a min); a
// percentage becomes a ratio (5% → 0.05); seconds and milliseconds stay as the source writes them.
import { findSustained, type FoundDuration } from './duration.ts';

export interface Threshold {
  /** The gate name: error_rate, p99_latency, queue_backlog. */
  metric: string;
  /** A metric teams gate releases on (error rate, latency, availability). */
  known: boolean;
  bound: 'max' | 'min';
  value: number;
  unit: 'ratio' | 's' | 'ms' | 'count' | 'MB' | 'GB';
  /** As written: ">5%". */
  written: string;
  for: FoundDuration | null;
  /** Said as a breach (">", "exceeds"), as opposed to a target ("<1%" for an error rate). */
  breach: boolean;
}

// The number ends the word: a full stop may end the sentence ("exceeds 2%."), not a version ("1.2.3").
const COMPARISON =
  /(>=|<=|≥|≤|>|<|\bexceeds?\b|\babove\b|\bbelow\b|\bmore than\b|\bless than\b)\s*(\d+(?:\.\d+)?)\s*(%|ms|milliseconds?|s|secs?|seconds?|MB|GB)?(?![\w%]|\.\d)/gi;
// Where a clause starts: the metric is named after the last of these before the comparison.
const CLAUSE_START = /.*(?:[(,;→]|\b(?:if|or|and|when|vs)\b)/i;
const CLAUSE_END = /[(),;→]|\b(?:or|and|if|sustained|for|in|over|then|window)\b/i;
const FILLER =
  /\b(should|be|is|are|stays?|remains?|showing|must|auto-rollback|rollback|triggered|trigger|alert|condition|metric|rate of)\b/gi;

interface Known {
  name: (text: string) => string;
  test: RegExp;
  bound: 'max' | 'min';
}

const KNOWN: Known[] = [
  { test: /error[\s_-]*rate|errorrate/i, name: () => 'error_rate', bound: 'max' },
  { test: /\bp(50|75|90|95|99|999)\b/i, name: (t) => `p${/\bp(\d+)\b/i.exec(t)?.[1]}_latency`, bound: 'max' },
  { test: /\blatency\b|response time/i, name: () => 'latency', bound: 'max' },
  { test: /availability|success[\s_-]*rate|uptime/i, name: () => 'availability', bound: 'min' },
];
const HIGHER_IS_BETTER = /hit[\s_-]*rate|success|availability|uptime|throughput/i;

function unitOf(written: string | undefined): Threshold['unit'] {
  const u = (written ?? '').toLowerCase();
  if (u === '%') return 'ratio';
  if (u === 'ms' || u.startsWith('milli')) return 'ms';
  if (u.startsWith('s')) return 's';
  if (u === 'mb') return 'MB';
  if (u === 'gb') return 'GB';
  return 'count';
}

function metricName(text: string): string {
  const words = text.replace(FILLER, ' ').replace(/[*`]/g, ' ');
  const afterColon = words.includes(':') ? (words.split(':').at(-1) ?? '') : words;
  const chosen = afterColon.trim() !== '' ? afterColon : (words.split(':')[0] ?? '');
  return chosen
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(-3)
    .join('_');
}

/** Every threshold in a sentence; `label` names the metric when the sentence does not (a table's first cell). */
export function findThresholds(text: string, label?: string): Threshold[] {
  const found: Threshold[] = [];
  for (const match of text.matchAll(COMPARISON)) {
    const before = text.slice(0, match.index);
    const after = text.slice(match.index + match[0].length);
    const clause = before.replace(CLAUSE_START, '');
    if (/baseline/i.test(clause) || /\bbaseline\b/i.test(before.slice(-12))) continue;
    // "< 5 minutes" is how soon, not how much.
    if (!match[3] && /^\s*(min|minutes?|hours?|hrs?|h|m|days?)\b/i.test(after)) continue;
    const tail = after.split(CLAUSE_END)[0] ?? '';
    const named = [label ?? '', clause, tail];
    const known = KNOWN.find((k) => named.some((t) => k.test.test(t)));
    const knownText = known ? (named.find((t) => known.test.test(t)) ?? '') : '';
    const metric =
      known?.name(knownText) ?? (metricName(label ?? '') || metricName(clause) || metricName(tail));
    // A name of bare numbers is a step or a count ("2 > 1"); an HTTP status class ("5xx rate") is a metric.
    if (!metric || (/^\d/.test(metric) && !/^\d+xx(_|$)/.test(metric))) continue;
    const unit = unitOf(match[3]);
    const raw = Number(match[2]);
    const comparison = (match[1] ?? '').toLowerCase();
    found.push({
      metric,
      known: known !== undefined,
      bound: known?.bound ?? (HIGHER_IS_BETTER.test(metric) ? 'min' : 'max'),
      value: unit === 'ratio' ? Number((raw / 100).toPrecision(12)) : raw,
      unit,
      written: match[0].trim(),
      for: findSustained(after),
      breach: /^(>|≥|>=|exceed|above|more)/.test(comparison),
    });
  }
  return found;
}
