// Approval counts: "2+ approvals", "approved by 2+ engineers", "minimum 1 approving review",
// "2 approvers for production", "at least two reviewers" → approvals.required.
import { readCount } from '../text.ts';

const COUNT = '(\\d{1,2}|one|two|three|four|five)';
const PATTERNS = [
  new RegExp(
    String.raw`(?<![\d.])${COUNT}\+?\s+(?:\w+\s+)?(?:approvals?|approvers?|approving\s+reviews?|reviewers?|reviews|sign-?offs?)\b`,
    'i',
  ),
  new RegExp(String.raw`\bapproved\s+by\s+(?:at\s+least\s+)?${COUNT}\+?(?![\d.])`, 'i'),
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
