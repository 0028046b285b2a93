// Thresholds: a metric, a comparison and a number with its unit ("Error rate >5% for 5 minutes",
// "P99 latency >5s sustained 10min", ">1000 messages pending for 15min", "condition: error_rate > 5%").
// The bound follows a metric whose good side is known (an error rate or a latency has a max, an
// availability or an Apdex a min: "<200ms" and ">5s" both bound a latency from above); for any other
// metric the comparison decides ("Apdex < 0.85", "conversion below 2%" → a min). A percentage becomes
// a ratio (5% → 0.05); seconds and milliseconds stay as the source writes them.
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

const BELOW = String.raw`<=|≤|<|\bbelow\b|\bunder\b|\b(?:less|lower|fewer)\s+than\b`;
const ABOVE = String.raw`>=|≥|>|\bexceed(?:s|ed|ing)?\b|\babove\b|\bover\b|\b(?:more|higher|greater)\s+than\b`;
const UNITS = String.raw`%|percent\b|per\s?cent\b|pct\b|ms|milliseconds?|s|secs?|seconds?|MB|GB`;
// The number ends the word: a full stop may end the sentence ("exceeds 2%."), not a version ("1.2.3").
const COMPARISON = new RegExp(
  String.raw`(${BELOW}|${ABOVE})\s*(\d+(?:\.\d+)?)\s*(${UNITS})?(?![\w%]|\.\d)`,
  'gi',
);
const IS_BELOW = new RegExp(String.raw`^(?:${BELOW})$`, 'i');
// A change from where things were ("increases by more than 50%", ">20% over baseline") is no level.
const CHANGE_BEFORE = /\b(?:by|up|down)\s*$|\bbaseline\b/i;
const CHANGE_AFTER =
  /^\s*(?:(?:increase|decrease|rise|jump|drop|spike|change|growth|higher|lower|more|less|worse)\b|(?:\w+\s+)?(?:of|from|over|above|below|than|vs\.?|relative\s+to)\s+(?:the\s+)?(?:baseline|normal|usual|previous|before))/i;
// Where a clause starts: the metric is named after the last of these before the comparison.
const CLAUSE_START = /.*(?:[(,;→]|\b(?:if|or|and|when|vs)\b)/i;
const CLAUSE_END = /[(),;→]|\b(?:or|and|if|sustained|for|in|over|then|window)\b/i;
const FILLER =
  /\b(should|be|is|are|stays?|remains?|showing|must|auto-rollback|rollback|triggered|trigger|alert|condition|metric|rate of|drops?|falls?|goes|gets|rises?)\b/gi;

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
const HIGHER_IS_BETTER = /hit[\s_-]*rate|success|availability|uptime|throughput|apdex|conversion/i;
// Resources and failures are gated from above, whichever way the sentence compares them.
const LOWER_IS_BETTER =
  /error|fail|crash|latency|cpu|memory|backlog|queue|lag|timeout|restart|exception|connections|\d+xx/i;

function unitOf(written: string | undefined): Threshold['unit'] {
  const u = (written ?? '').toLowerCase();
  if (u === '%' || u.startsWith('p')) return 'ratio';
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

// Where the next threshold's clause starts, in the text between two thresholds.
const NEXT_CLAUSE = /(?:[,;]|\b(?:and|or)\b)(?![\s\S]*(?:[,;]|\b(?:and|or)\b))[\s\S]*$/i;

function boundByName(metric: string): 'max' | 'min' | null {
  if (HIGHER_IS_BETTER.test(metric)) return 'min';
  return LOWER_IS_BETTER.test(metric) ? 'max' : null;
}

/** A comparison of a change ("increases by more than 50%", "vs baseline <150ms"), not of a level. */
function isChange(text: string, match: RegExpMatchArray): boolean {
  const before = text.slice(0, match.index);
  const clause = before.replace(CLAUSE_START, '');
  const after = text.slice((match.index ?? 0) + match[0].length);
  return CHANGE_BEFORE.test(clause) || /\bbaseline\b/i.test(before.slice(-12)) || CHANGE_AFTER.test(after);
}

/** Whether a sentence states a change as a threshold: no gate can be read from that part of it. */
export function statesChange(text: string): boolean {
  return [...text.matchAll(COMPARISON)].some((m) => isChange(text, m));
}

/** Every threshold in a sentence; `label` names the metric when the sentence does not (a table's first cell). */
export function findThresholds(text: string, label?: string): Threshold[] {
  const found: { threshold: Threshold; start: number; end: number }[] = [];
  for (const match of text.matchAll(COMPARISON)) {
    const before = text.slice(0, match.index);
    const end = match.index + match[0].length;
    const after = text.slice(end);
    const clause = before.replace(CLAUSE_START, '');
    if (isChange(text, match)) continue;
    // "< 5 minutes" is how soon, not how much; "> 1% over 30s" is one threshold with its window.
    if (!match[3] && /^\s*(min|minutes?|hours?|hrs?|h|m|days?)\b/i.test(after)) continue;
    if (new RegExp(COMPARISON.source, 'i').test(clause)) continue;
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
    const below = IS_BELOW.test((match[1] ?? '').replace(/\s+/g, ' '));
    const bound = known?.bound ?? boundByName(metric) ?? (below ? 'min' : 'max');
    const threshold: Threshold = {
      metric,
      known: known !== undefined,
      bound,
      value: unit === 'ratio' ? Number((raw / 100).toPrecision(12)) : raw,
      unit,
      written: match[0].trim(),
      for: null,
      breach: below === (bound === 'min'),
    };
    found.push({ threshold, start: match.index, end });
  }
  // Only a threshold's own clause times it: "p99 >1s and error rate >2% for 5 minutes" times the second.
  return found.map(({ threshold, end }, i) => {
    const next = found[i + 1];
    const own = next ? text.slice(end, next.start).replace(NEXT_CLAUSE, '') : text.slice(end);
    return { ...threshold, for: findSustained(own) };
  });
}
