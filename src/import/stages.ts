// Traffic stages from the shifts a runbook makes, in the order a ramp goes (ascending, each once),
// each with the hold the runbook gives it nearby ("Monitor for 15 minutes" after "Enable 10%").
// Without traffic shifts, a post-deploy watch with gates becomes a bake. Rollback, feature-flag and
// incident sections are not the ramp.
import { cite, type Cite } from './cite.ts';
import type { Unit } from './markdown.ts';
import { findHold, findShiftHold, type FoundDuration } from './recognise/duration.ts';
import { commandTraffic, proseTraffic } from './recognise/percent.ts';
import { commentOf } from './recognise/commands.ts';

export interface DraftStage {
  traffic?: number;
  bake?: string;
  hold?: FoundDuration;
  cites: Cite[];
}

const NOT_THE_RAMP = /roll[- ]?back|revert|feature|flag|incident|disaster|troubleshoot|issue/i;
const AFTER_DEPLOY = /post[- ]?deploy|after|monitor|validation|verification/i;
const LOOK_AHEAD = 6;

function excluded(unit: Unit): boolean {
  return [...unit.headings.map((h) => h.text), unit.kind === 'heading' ? unit.text : ''].some((t) =>
    NOT_THE_RAMP.test(t),
  );
}

function trafficIn(unit: Unit): number[] {
  // A command shifts traffic wherever it is written: in a code block, or inline in a step
  // ("3. Run `gcloud run services update-traffic api --to-revisions=LATEST=50`").
  const shifted = commandTraffic(unit.text);
  if (shifted !== null) return [shifted];
  if (unit.kind === 'code') {
    // Only the comment is prose ("# then 10%"): a quoted '#' belongs to the command.
    const comment = commentOf(unit.text);
    return comment ? proseTraffic(comment) : [];
  }
  return proseTraffic(unit.text);
}

export function draftStages(units: readonly Unit[], lines: readonly string[]): DraftStage[] {
  const found = new Map<number, DraftStage>();
  units.forEach((unit, i) => {
    if (excluded(unit)) return;
    for (const percent of trafficIn(unit)) {
      const stage = found.get(percent) ?? { traffic: percent, cites: [] };
      stage.cites.push(cite(lines, unit.line));
      if (!stage.hold) {
        const hold = holdAfter(units, i);
        if (hold) {
          stage.hold = hold.hold;
          stage.cites.push(cite(lines, hold.line));
        }
      }
      found.set(percent, stage);
    }
  });
  return [...found.values()].sort((a, b) => (a.traffic ?? 0) - (b.traffic ?? 0));
}

function holdAfter(units: readonly Unit[], at: number): { hold: FoundDuration; line: number } | null {
  for (let j = at; j < Math.min(units.length, at + 1 + LOOK_AHEAD); j++) {
    const unit = units[j];
    if (!unit || excluded(unit)) return null;
    if (j > at && trafficIn(unit).length > 0) return null;
    const hold = findHold(unit.text) ?? (j === at ? findShiftHold(unit.text) : null);
    if (hold) return { hold, line: unit.line };
  }
  return null;
}

/** A watch after the deploy ("Monitor for 30 minutes" under post-deployment validation), as a bake. */
export function draftBake(units: readonly Unit[], lines: readonly string[]): DraftStage | null {
  for (const unit of units) {
    if (excluded(unit) || !unit.headings.some((h) => AFTER_DEPLOY.test(h.text))) continue;
    const hold = findHold(unit.text);
    if (hold) return { bake: hold.duration, hold, cites: [cite(lines, unit.line)] };
  }
  return null;
}
