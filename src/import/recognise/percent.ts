// Traffic shifts: the percentage of traffic a step sends to the new version, in prose ("Enable 10% of
// traffic", "Increase to 50%", "Canary Phase (10% traffic, 30min)") or in a command
// (`--weight blue=90 green=10`, `--to-revisions=LATEST=50`). A percentage that is a threshold, a
// share of users (a feature flag), a discount or part of a version is not one.

/** Weights given to the new side of a blue/green or canary split, by what they are called. */
const NEW_SIDE = /^(green|canary|new|next|candidate|latest)$/i;

/** The percentage a command line shifts traffic to, or null. */
export function commandTraffic(line: string): number | null {
  const revisions = /--to-revisions[= ]([^\s]+)/.exec(line);
  if (revisions?.[1]) {
    const latest = /(?:^|,)LATEST=(\d{1,3})\b/i.exec(revisions[1]);
    return latest ? percent(latest[1]) : null;
  }
  const weight = /--weights?[= ]((?:[\w-]+=\d{1,3}[\s,]*)+)/.exec(line);
  if (!weight?.[1]) return null;
  const pairs = [...weight[1].matchAll(/([\w-]+)=(\d{1,3})/g)].map((m) => ({
    side: m[1] ?? '',
    value: m[2],
  }));
  const chosen = pairs.find((p) => NEW_SIDE.test(p.side)) ?? (pairs.length > 1 ? pairs.at(-1) : undefined);
  return chosen ? percent(chosen.value) : null;
}

// A percentage: not inside a number or version ("1.10%"), not "+10%" or a comparison ("<1%", "≥80%").
// "50 percent" is "50%".
const PERCENT = /(?<![\d.,+<>≤≥=~])(\d{1,3})\s?(?:%|percent\b|per\s?cent\b)/gi;
const COMPARED_BEFORE = /(?:[<>≤≥]|\b(?:below|above|under|over|exceeds?|than|at least|at most|within))\s*$/i;
const TRAFFIC_WORDS =
  /\b(traffic|route[sd]?|routing|canary|split|ramp(?:s|ed|ing)?|roll[- ]?out|cut[- ]?over|shift(?:ed)?|weight)\b/i;
const MOVE_TO = /\b(increase|ramp|shift|move|go|bump|raise|scale|promote|proceed)\w*\s+(?:up\s+)?to\s*$/i;
const ENABLE = /\benable\s*$/i;
const STATE = /\b(current(?:ly)?|initially|baseline|remains?)\b/i;
// What the percentage is a share of, when it is not traffic.
const NOT_TRAFFIC_AFTER =
  /^\s*(?:of\s+(?:\w+\s+)?(?:users|sessions|customers|accounts|tenants|members))|^\s*(?:discount|off\b|coverage|pass|cpu|memory|utili[sz]ation|error|success|uptime|availability|hit)/i;

/**
 * The traffic percentages a sentence shifts to, in order. A percentage counts when the sentence
 * speaks of traffic (route, canary, split, ramp, rollout…) or moves to it ("increase to 50%",
 * "Enable 10%"), and the percentage is neither compared nor a share of something else.
 */
export function proseTraffic(text: string): number[] {
  const found: number[] = [];
  // "Current production (100% traffic)" is where things stand, not a step.
  if (STATE.test(text)) return [];
  const speaksOfTraffic = TRAFFIC_WORDS.test(text);
  for (const match of text.matchAll(PERCENT)) {
    const before = text.slice(0, match.index);
    const after = text.slice(match.index + match[0].length);
    if (COMPARED_BEFORE.test(before) || NOT_TRAFFIC_AFTER.test(after)) continue;
    if (!speaksOfTraffic && !MOVE_TO.test(before) && !ENABLE.test(before)) continue;
    const value = percent(match[1]);
    if (value !== null) found.push(value);
  }
  return found;
}

function percent(text: string | undefined): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 && n <= 100 ? n : null;
}
