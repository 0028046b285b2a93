// The release handoff (SPEC section 7), posted in the on-call channel when a release completes, laid out
// like the reference on-call handoff template (Avocat-AI runbook 5.3): release, deployed at, deployed by,
// summary (the notes given at start), status (latest gate readings, smoke results), known issues,
// monitoring links, rollback plan (previous version and the exact rollback action), on-call contact.
import type { KnownBlock } from '@slack/types';
import type { Release } from '../../release/types.ts';
import { isBlocking } from '../../release/gates.ts';
import { LIMITS, escapeMrkdwn, fitBlocks, truncate } from '../blockkit.ts';
import { context, fieldsSection, header, section } from './blocks.ts';
import { summary as filledAction } from './card-actions.ts';
import { gateLine } from './card-gates.ts';
import { actorName, cardLink, utc } from './format.ts';
import type { Changelog } from '../../insight/changelog.ts';
import { changelogText } from './insight.ts';

export interface ReleaseHandoffInput {
  release: Release;
  /** The environment's `links` and the runbook's `handoff.links`, name → URL. */
  links: Record<string, string>;
  /** The runbook's `on_call_contact`: a user or group id, or free text. */
  onCallContact: string | null;
  now: Date;
  linkBase?: string;
  /** The commits this release brought, when the runbook configures a changelog. */
  changelog?: Changelog;
}

export function releaseHandoffMessage(input: ReleaseHandoffInput): { text: string; blocks: KnownBlock[] } {
  const r = input.release;
  const status = statusLines(r, input.now);
  const stable = status.stable ? '✅ Stable' : '⚠️ Watch closely';
  const card = cardLink(r, input.linkBase, 'release card');
  const blocks: KnownBlock[] = [
    header(`🚀 Release handoff: ${r.service} ${r.version} → ${r.environment}`, 'handoff-header'),
    fieldsSection(
      [
        `*Release*\n${escapeMrkdwn(`${r.service} ${r.version} → ${r.environment}`)}${card ? ` (${card})` : ''}`,
        `*Deployed at*\n${utc(r.endedAt ?? r.updatedAt)}`,
        `*Deployed by*\n${actorName(r.requester)}`,
        `*On-call contact*\n${contactText(input.onCallContact)}`,
      ],
      'handoff-fields',
    ),
    section(
      `*Summary*\n${r.notes ? truncate(escapeMrkdwn(r.notes), 2800) : '_No notes were given at start._'}`,
      'handoff-summary',
    ),
    ...(input.changelog ? [section(changelogText(input.changelog), 'handoff-changelog')] : []),
    section(
      truncate([`*Status*: ${stable}`, ...status.lines].join('\n'), LIMITS.sectionText),
      'handoff-status',
    ),
    section(
      truncate(
        ['*Known issues*', ...bullets(knownIssues(r), '_None recorded._')].join('\n'),
        LIMITS.sectionText,
      ),
      'handoff-known-issues',
    ),
    section(
      truncate(
        [
          '*Monitoring*',
          ...bullets(linkLines(input.links), '_No monitoring links in the runbook (`links:`)._'),
        ].join('\n'),
        LIMITS.sectionText,
      ),
      'handoff-monitoring',
    ),
    section(
      truncate(['*Rollback plan*', ...rollbackPlan(r).map((l) => `• ${l}`)].join('\n'), LIMITS.sectionText),
      'handoff-rollback',
    ),
    context(
      [`Release \`${escapeMrkdwn(r.id)}\` · \`/release audit ${escapeMrkdwn(r.id)}\` for its trail`],
      'handoff-context',
    ),
  ];
  const text = truncate(
    `Release handoff: ${r.service} ${r.version} is live in ${r.environment} (${stable.replace(/^\S+ /, '').toLowerCase()}). Rollback: ${rollbackPlan(r)[1] ?? 'see the runbook'}`,
    LIMITS.messageText,
  );
  return { text, blocks: fitBlocks(blocks, 'message') };
}

/** Latest gate readings against their thresholds, then the smoke tests. */
export function statusLines(r: Release, now: Date): { stable: boolean; lines: string[] } {
  const gates = Object.values(r.plan.gates).filter((p) => r.gates[p.name] !== undefined);
  const lines = gates.map((p) => `• ${gateLine(p, r.gates[p.name], now)}`);
  const gatesOk = gates.every((p) => !isBlocking(p, r.gates[p.name]));
  const smokeAt = r.plan.stages.findIndex((s) => s.kind === 'smoke');
  const smoke = smokeAt >= 0 ? r.stages[smokeAt] : undefined;
  if (gates.length === 0) lines.push('• _No gate readings (this release had no gated stage)._');
  if (!smoke) lines.push('• Smoke tests: _none in this runbook_');
  else if (smoke.status === 'done')
    lines.push(
      `• Smoke tests passed ✅${smoke.detail ? ` (${truncate(escapeMrkdwn(smoke.detail.split('\n')[0] ?? ''), 300)})` : ''}`,
    );
  else
    lines.push(
      `• Smoke tests: ${smoke.status} ⚠️${smoke.detail ? ` (${truncate(escapeMrkdwn(smoke.detail.split('\n')[0] ?? ''), 300)})` : ''}`,
    );
  return { stable: gatesOk && (!smoke || smoke.status === 'done'), lines };
}

/** What the next person should know: hotfix overrides, retried stages, gates that ended unhappy. */
export function knownIssues(r: Release): string[] {
  const issues: string[] = [];
  if (r.hotfix)
    issues.push(
      `Released as a hotfix (outside the usual checks): ${truncate(escapeMrkdwn(r.hotfix.reason), 300)}`,
    );
  r.stages.forEach((s, i) => {
    if (s.attempt > 1) issues.push(`Stage ${i + 1} needed ${s.attempt} attempts`);
  });
  for (const policy of Object.values(r.plan.gates)) {
    const reading = r.gates[policy.name];
    if (reading && reading.verdict !== 'ok')
      issues.push(
        `Gate ${escapeMrkdwn(policy.name)} ended ${reading.verdict === 'breach' ? 'in breach' : 'without data'}`,
      );
  }
  return issues;
}

/** Previous version, the exact rollback action with this release's values, and the Slack command. */
export function rollbackPlan(r: Release): string[] {
  const hasRollback = r.plan.actions.includes('rollback');
  return [
    `Previous version: ${r.previousVersion ? `*${escapeMrkdwn(r.previousVersion)}*` : '_none recorded_'}`,
    hasRollback
      ? `Rollback action: \`${truncate(filledAction(r, 'rollback').replace(/`/g, "'"), 500)}\``
      : 'Rollback action: _the runbook defines none_',
    `In Slack: \`/release rollback ${escapeMrkdwn(r.service)}\`${r.previousVersion ? ` (back to ${escapeMrkdwn(r.previousVersion)})` : ''}`,
  ];
}

export function linkLines(links: Record<string, string>): string[] {
  return Object.entries(links).map(
    ([name, url]) => `${escapeMrkdwn(name)}: <${url.replace(/[<>|]/g, '')}|${escapeMrkdwn(url)}>`,
  );
}

/** `<@U…>` for a user, a group mention for S…, else the text as written. */
export function contactText(contact: string | null): string {
  if (!contact) return '_not set (`on_call_contact` in the runbook)_';
  if (/^[UW][A-Z0-9]+$/.test(contact)) return `<@${contact}>`;
  if (/^S[A-Z0-9]+$/.test(contact)) return `<!subteam^${contact}>`;
  return escapeMrkdwn(contact);
}

function bullets(lines: readonly string[], none: string): string[] {
  return lines.length === 0 ? [none] : lines.map((l) => `• ${l}`);
}
