// What the incident channel hears of the status page: opened, resolved, and failures (first and final).
import { escapeMrkdwn, truncate } from '../blockkit.ts';

const clean = (text: string) => truncate(escapeMrkdwn(text), 500);

export function statuspageOpenedText(shortlink: string | undefined): string {
  return `📣 Status page incident opened (investigating)${shortlink ? `: ${shortlink}` : '.'}`;
}

export function statuspageResolvedText(): string {
  return '📣 Status page incident resolved; its components are operational again.';
}

const WHAT = {
  open: 'open the status page incident',
  update: 'post the update to the status page',
  resolve: 'resolve the status page incident',
} as const;

export function statuspageFailedText(
  event: keyof typeof WHAT,
  summary: string,
  retrying: { attempt: number; of: number } | null,
): string {
  return retrying
    ? `⚠️ Could not ${WHAT[event]} (attempt ${retrying.attempt} of ${retrying.of}): ${clean(summary)}. Runway keeps trying; Slack is not held up.`
    : `❌ Could not ${WHAT[event]}: ${clean(summary)}. *Update the status page by hand.*`;
}
