// Which runbook settings an incident uses. An incident from a release uses that service and
// environment; one declared by hand uses the default environment of the first service that defines a
// `page` action (or simply the first service), and invites the approvers of every service.
import { defaultEnvironment, listTargets, type Target } from '../config/runbook.ts';
import type { ActionConfig } from '../config/schema.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';

export function incidentTarget(ctx: RunbookContext, release?: Target): Target | null {
  if (release) return { service: release.service, environment: release.environment };
  const targets = listTargets(ctx.runbook);
  const preferred = defaultEnvironment(ctx.runbook);
  const ordered = [
    ...targets.filter((t) => t.environment === preferred),
    ...targets.filter((t) => t.environment !== preferred),
  ];
  return (
    ordered.find((t) => ctx.action(t.service, t.environment, 'page') !== undefined) ?? ordered[0] ?? null
  );
}

export function pageAction(ctx: RunbookContext, target: Target | null | undefined): ActionConfig | undefined {
  return target ? ctx.action(target.service, target.environment, 'page') : undefined;
}

/** The incidents channel for announcements: the target's, else the first one the runbook names. */
export function incidentsChannel(ctx: RunbookContext, target: Target | null | undefined): string | null {
  if (target) {
    const own = ctx.resolve(target.service, target.environment).channels.incidents;
    if (own) return own;
  }
  for (const t of listTargets(ctx.runbook)) {
    const channel = ctx.resolve(t.service, t.environment).channels.incidents;
    if (channel) return channel;
  }
  return null;
}

/** User and group ids to invite: the target's approvers, or every service's for a manual incident. */
export function approverIds(
  ctx: RunbookContext,
  target: Target | null | undefined,
  manual: boolean,
): string[] {
  const targets = manual || !target ? listTargets(ctx.runbook) : [target];
  const ids = targets.flatMap((t) => ctx.resolve(t.service, t.environment).approvals.approvers);
  const contacts = targets.flatMap((t) => {
    const contact = ctx.resolve(t.service, t.environment).onCallContact;
    return contact && /^[US][A-Z0-9]+$/.test(contact) ? [contact] : [];
  });
  return [...new Set([...ids, ...contacts])];
}

/** From the runbook's `incidents` section, with SPEC defaults (15 minutes, `inc`). */
export function incidentSettings(ctx: RunbookContext): { sev1ReminderMs: number; channelPrefix: string } {
  const settings = ctx.runbook.incidents;
  return {
    sev1ReminderMs: settings?.sev1_reminder ?? 15 * 60_000,
    channelPrefix: settings?.channel_prefix ?? 'inc',
  };
}
