// The Slack words of SPEC section 12: the changelog on the card and in the handoff, the one thread
// note when there is none, the comment under a canary chart. Pure: data in, mrkdwn out.
import type { Changelog } from '../../insight/changelog.ts';
import { CHANGELOG_SHOWN } from '../../insight/changelog.ts';
import type { Release } from '../../release/types.ts';
import { escapeMrkdwn, truncate, LIMITS } from '../blockkit.ts';

/** "*Changes since v1.0.0* (12 commits)" then one line per commit and "and N more". */
export function changelogText(changelog: Changelog): string {
  const head = `*Changes since ${escapeMrkdwn(changelog.from)}* (${changelog.total} commit${changelog.total === 1 ? '' : 's'})`;
  if (changelog.total === 0) return `${head}\n_No new commits._`;
  const lines = changelog.commits
    .slice(0, CHANGELOG_SHOWN)
    .map(
      (c) =>
        `• \`${c.sha.slice(0, 7)}\` ${truncate(escapeMrkdwn(c.subject), 150)} — ${truncate(escapeMrkdwn(c.author), 60)}`,
    );
  const more = changelog.total - Math.min(CHANGELOG_SHOWN, changelog.commits.length);
  if (more > 0) lines.push(`_and ${more} more_`);
  return truncate([head, ...lines].join('\n'), LIMITS.sectionText);
}

export function noChangelogText(reason: string): string {
  return `:page_facing_up: No changelog for this release: ${truncate(escapeMrkdwn(reason), 500)}.`;
}

export function chartComment(release: Release, why: 'breach' | 'completed'): string {
  if (why === 'completed')
    return `:chart_with_upwards_trend: Canary chart of *${escapeMrkdwn(release.service)} ${escapeMrkdwn(release.version)}*: every gate reading of the release against its threshold.`;
  const reason = release.rollback?.automatic ? release.rollback.reason : (release.pause?.reason ?? '');
  return truncate(
    `:chart_with_downwards_trend: Canary chart at the breach${reason ? `: ${escapeMrkdwn(reason)}` : ''}.`,
    LIMITS.messageText,
  );
}

/** The chart's own subtitle (plain text, drawn into the image). */
export function chartReason(release: Release, why: 'breach' | 'completed'): string {
  if (why === 'completed') return `Live in ${release.environment}`;
  if (release.rollback?.automatic) return `Rolled back: ${release.rollback.reason}`;
  return release.pause ? `Paused: ${release.pause.reason}` : 'Gate breach';
}

/** The release thread, as a link for GitHub's Environments page. */
export function threadUrl(card: { channel: string; ts: string } | undefined): string | undefined {
  return card ? `https://slack.com/archives/${card.channel}/p${card.ts.replace('.', '')}` : undefined;
}
