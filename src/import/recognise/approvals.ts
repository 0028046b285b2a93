// Approval counts: "2+ approvals", "approved by 2+ engineers", "minimum 1 approving review",
// "2 approvers for production", "at least two reviewers", "2 code owner approvals", "approval from
// two senior engineers", "Two (2) approvals", "approvals: 2" → approvals.required.
import { readCount } from '../text.ts';

const COUNT = '(\\d{1,2}|one|two|three|four|five)';
// Up to two words saying whose ("2 code owner approvals"); not a time or a link ("2 days for reviews").
const KIND = String.raw`(?!(?:for|of|to|and|or|in|on|before|after|within|days?|hours?|weeks?|minutes?)\b)[\w-]+`;
const PATTERNS = [
  new RegExp(
    String.raw`(?<![\d.])${COUNT}\+?(?:\s*\(\d{1,2}\))?\s+(?:${KIND}\s+){0,2}(?:approvals?|approvers?|approving\s+reviews?|reviewers?|reviews|sign-?offs?)\b`,
    'i',
  ),
  new RegExp(String.raw`\bapprov(?:ed|als?)\s+(?:by|from)\s+(?:at\s+least\s+)?${COUNT}\+?(?![\d.])`, 'i'),
  new RegExp(String.raw`\bapprovals?(?:\s+required)?\s*[:=]\s*${COUNT}\b`, 'i'),
  new RegExp(
    String.raw`\b(?:minimum(?:\s+of)?|at\s+least)\s+${COUNT}\s+(?:\w+\s+)?(?:approv|review|sign)`,
    'i',
  ),
];

/** The number of approvals a sentence requires, or null. */
export function findApprovals(text: string): number | null {
  for (const pattern of PATTERNS) {
    const m = pattern.exec(text);
    const n = m?.[1] ? readCount(m[1]) : null;
    if (n !== null && n >= 1 && n <= 10) return n;
  }
  return null;
}
