// Checklist items: GFM task items (`- [ ] …`), and `[ ] …` lines in a plain code block (a checklist
// template). Where an item goes follows its headings: an on-call handoff checklist is the handoff's;
// items before the release (pre-flight, pre-deploy, go/no-go, a deployment or release checklist) are
// required pre-flight items; the others (post-deploy, rollback, sign-off) are optional ones, ticked
// on the card as the release goes.
import type { Unit } from '../markdown.ts';
import { headingText } from '../markdown.ts';

export interface ChecklistItem {
  text: string;
  line: number;
  place: 'preflight' | 'optional' | 'handoff';
  /** The headings it is grouped under, as "A › B". */
  group: string;
}

const CODE_ITEM = /^\s*(?:[-*]\s+)?\[[ xX]\]\s+(.+)$/;
const BEFORE =
  /pre[- ]?(?:flight|deploy|deployment|release|production|staging)|go\s*\/\s*no[- ]go|readiness|before (?:the )?(?:release|deploy)/i;
const HANDOFF = /hand-?off/i;
// "Deployment Checklist", "Release Checklist": gone through before the release, unless the headings
// put it after ("Post-Deployment Checklist", "Deployment Checklist › Verification").
const RELEASE_CHECKLIST = /\b(?:deploy(?:ment)?|release|launch|ship(?:ping)?)\s+check[- ]?list/i;
const AFTER =
  /post[- ]?(?:deploy|release|launch|production)|\bafter\b|verif|validat|smoke|monitor|roll[- ]?back|sign[- ]?off|clean[- ]?up/i;

export function checklistItem(unit: Unit): ChecklistItem | null {
  let text: string | null = null;
  if (unit.kind === 'task') text = unit.text;
  // A markdown block is a template (a postmortem's action items), not a checklist.
  else if (unit.kind === 'code' && !/^(markdown|md)$/i.test(unit.lang ?? ''))
    text = CODE_ITEM.exec(unit.text)?.[1] ?? null;
  if (!text || text.trim() === '') return null;
  const group = unit.headings.map((h) => h.text).join(' › ');
  const context = headingText(unit);
  const before = BEFORE.test(context) || (RELEASE_CHECKLIST.test(context) && !AFTER.test(context));
  const place = HANDOFF.test(context) ? 'handoff' : before ? 'preflight' : 'optional';
  return { text: text.trim(), line: unit.line, place, group };
}
