// Gates from the thresholds a runbook states: one gate per metric, from the mention that says most
// about a breach (a rollback trigger over an alert over a target; one with a duration over one without).
// Metrics teams gate on (error rate, latency, availability) always become gates; any other metric does
// when the runbook gives it a duration or makes it a rollback trigger.
import { cite, type Cite } from './cite.ts';
import type { Unit } from './markdown.ts';
import { headingText } from './markdown.ts';
import { findSustained } from './recognise/duration.ts';
import { findThresholds, statesChange, type Threshold } from './recognise/threshold.ts';

export interface DraftGate {
  name: string;
  threshold: Threshold;
  cite: Cite;
}

const ROLLBACK = /roll[- ]?back|revert|abort/i;
const THRESHOLD_COLUMN = /threshold|alert|limit|trigger/i;

interface Candidate {
  threshold: Threshold;
  line: number;
  score: number;
}

function thresholdsOf(unit: Unit, next: readonly Unit[]): Threshold[] {
  if (unit.kind === 'row') {
    const column = (unit.header ?? []).findIndex((h) => THRESHOLD_COLUMN.test(h));
    const cell = column > 0 ? unit.cells?.[column] : undefined;
    return cell ? findThresholds(cell, unit.cells?.[0]) : [];
  }
  if (unit.kind === 'code') {
    const yaml = /^ya?ml$/i.test(unit.lang ?? '');
    // Code is read only where it speaks in words: YAML settings and comments, never an expression.
    if (!yaml && !/^\s*(#|\/\/|--)\s/.test(unit.text)) return [];
    const found = findThresholds(unit.text);
    if (!yaml) return found;
    // An alert rule's window sits on a line of its own, in the same list entry.
    const entry: Unit[] = [];
    for (const u of next) {
      if (u.kind !== 'code' || /^\s*-\s/.test(u.text)) break;
      entry.push(u);
    }
    const window = entry.map((u) => findSustained(u.text)).find((d) => d !== null) ?? null;
    return found.map((t) => ({ ...t, for: t.for ?? window }));
  }
  return findThresholds(unit.text);
}

/**
 * The gates, and the lines a gate came from that also state a threshold no gate is read from (a
 * change, "increases by more than 50%", or a metric not gated on): those lines are also kept whole.
 */
export function draftGates(
  units: readonly Unit[],
  lines: readonly string[],
): { gates: DraftGate[]; partlyRead: number[] } {
  const byMetric = new Map<string, Candidate[]>();
  const unread = new Set<number>();
  units.forEach((unit, i) => {
    const context = `${headingText(unit)} ${unit.text}`;
    const rollback = ROLLBACK.test(context);
    if (statesChange(unit.text)) unread.add(unit.line);
    for (const threshold of thresholdsOf(unit, units.slice(i + 1, i + 4))) {
      if (!threshold.known && !threshold.for && !rollback) {
        unread.add(unit.line);
        continue;
      }
      const score = (rollback ? 4 : 0) + (threshold.breach ? 2 : 0) + (threshold.for ? 1 : 0);
      const list = byMetric.get(threshold.metric) ?? [];
      list.push({ threshold, line: unit.line, score });
      byMetric.set(threshold.metric, list);
    }
  });
  const gates = [...byMetric.entries()].map(([name, candidates]) => {
    const best = candidates.reduce((a, b) => (b.score > a.score ? b : a));
    // A long line is quoted where this gate's threshold is, not only where the line starts.
    return { name, threshold: best.threshold, cite: cite(lines, best.line, best.threshold.written) };
  });
  return { gates, partlyRead: gates.map((g) => g.cite.line).filter((line) => unread.has(line)) };
}
