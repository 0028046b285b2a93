// `/release …`: parse (pure), acknowledge at once — with the error when the text is bad — then ask
// the engine and answer the person ephemerally.
import type { App } from '@slack/bolt';
import { listTargets } from '../src/config/runbook.ts';
import type { RunbookContext } from '../src/engine/runbook-context.ts';
import { parseReleaseCommand, type ReleaseCommand } from '../src/slack/parse/release-command.ts';
import { RELEASE_USAGE, helpText } from '../src/slack/views/help.ts';
import {
  auditText,
  freezesText,
  historyText,
  listText,
  statusText,
} from '../src/slack/views/release-text.ts';
import { firstCommandDelivery, type CommandDeps } from './deps.ts';
import type { Refused } from '../src/engine/engine.ts';
import { statsText } from '../src/slack/views/stats.ts';
import { withMentions } from '../src/slack/people.ts';
import { relink } from '../src/slack/views/format.ts';
import { linkBase } from '../src/slack/workspace-url.ts';

/** Who typed the command, where, and the workspace's address for links. */
interface Origin {
  user: string;
  /** As typed, for the audit of a bad one. */
  command: string;
  channel: string;
  channelName?: string;
  links: string;
}

export function registerReleaseCommand(app: App, deps: CommandDeps): void {
  app.command('/release', async ({ command, ack, respond, client }) => {
    const parsed = parseReleaseCommand(command.text, runbookNames(deps.runbook()));
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: `${parsed.error}\n${RELEASE_USAGE}` });
      await deps.engine.auditBadCommand(command.user_id, `/release ${command.text}`, parsed.error);
      return;
    }
    if (parsed.command.verb === 'help') {
      await ack({ response_type: 'ephemeral', text: helpText() });
      return;
    }
    await ack();
    const log = deps.log.child({ user: command.user_id, command: parsed.command.verb });
    if (!(await firstCommandDelivery(deps, command))) {
      log.info({ trigger: command.trigger_id }, 'repeated /release (a Slack retry); already handled');
      return;
    }
    try {
      const origin: Origin = {
        user: command.user_id,
        command: `/release ${command.text}`,
        channel: command.channel_id,
        channelName: command.channel_name,
        links: await linkBase(client),
      };
      const text = await handle(parsed.command, origin, deps);
      await respond({ response_type: 'ephemeral', text });
    } catch (error) {
      log.error({ err: error }, '/release failed');
      await respond({
        response_type: 'ephemeral',
        text: 'Runway could not do that just now (an internal error was logged). Try again in a moment.',
      });
    }
  });
}

export function runbookNames(ctx: RunbookContext) {
  const targets = listTargets(ctx.runbook);
  return {
    services: Object.keys(ctx.runbook.services),
    environments: [...new Set(targets.map((t) => t.environment))],
  };
}

async function handle(cmd: ReleaseCommand, who: Origin, deps: CommandDeps): Promise<string> {
  const { engine } = deps;
  const actor = { user: who.user };
  switch (cmd.verb) {
    case 'start': {
      const result = await engine.start({
        ...(cmd.service ? { service: cmd.service } : {}),
        ...(cmd.environment ? { environment: cmd.environment } : {}),
        version: cmd.version,
        requester: who.user,
        ...(cmd.notes ? { notes: cmd.notes } : {}),
        ...(cmd.hotfix ? { hotfix: cmd.hotfix } : {}),
        dryRun: cmd.dryRun,
        ...(cmd.downgrade ? { downgrade: true } : {}),
        originChannel: who.channel,
      });
      if (!result.ok) return refusal(result, who, deps);
      const r = result.release;
      const releases = deps.runbook().resolve(r.service, r.environment).channels.releases;
      const here = !releases || isThisChannel(releases, who);
      return `${r.dryRun ? 'Dry run of' : 'Release opened:'} *${r.service} ${r.version}* to ${r.environment} (\`${r.id}\`). The card with the checklist and buttons is being posted ${here ? 'here' : 'in the releases channel'}.`;
    }
    case 'status':
      return statusText(await engine.list(cmd.service), { now: new Date(), linkBase: who.links });
    case 'list':
      return listText(await engine.list(), { now: new Date(), linkBase: who.links });
    case 'history':
      return historyText(await engine.history(cmd.service, 20), { now: new Date(), linkBase: who.links });
    case 'rollback': {
      const result = await engine.rollback({
        ...(cmd.service ? { service: cmd.service } : {}),
        ...(cmd.environment ? { environment: cmd.environment } : {}),
        ...(cmd.toVersion ? { toVersion: cmd.toVersion } : {}),
        ...(cmd.reason ? { reason: cmd.reason } : {}),
        actor,
      });
      return result.ok
        ? `Rolling back *${result.release.service}* in ${result.release.environment}; follow it on the card.`
        : refusal(result, who, deps);
    }
    case 'pause':
    case 'resume':
    case 'abort':
    case 'promote': {
      const active = await engine.findActive(cmd.service, cmd.environment, cmd.verb);
      if (!active.ok) return refusal(active, who, deps);
      const id = active.release.id;
      const result =
        cmd.verb === 'pause'
          ? await engine.pause(id, actor, cmd.reason)
          : cmd.verb === 'resume'
            ? await engine.resume(id, actor)
            : cmd.verb === 'abort'
              ? await engine.abort(id, actor, cmd.reason)
              : await engine.promote(id, actor);
      return result.ok
        ? `Done: ${cmd.verb} on *${active.release.service} ${active.release.version}*.`
        : withMentions(result.reason);
    }
    case 'freeze': {
      const result = await engine.freeze(cmd.scope, actor, cmd.reason ?? '');
      if (!result.ok) return refusal(result, who, deps);
      return `Frozen: ${cmd.scope === 'all' ? 'all services' : cmd.scope}. New releases are refused (hotfixes excepted) until /release unfreeze ${cmd.scope}.\n${freezesText(await engine.freezes())}`;
    }
    case 'unfreeze': {
      const result = await engine.unfreeze(cmd.scope, actor);
      return result.ok
        ? `Unfrozen: ${cmd.scope === 'all' ? 'all services' : cmd.scope}.\n${freezesText(await engine.freezes())}`
        : refusal(result, who, deps);
    }
    case 'audit': {
      const release = await engine.get(cmd.releaseId);
      if (!release)
        return refusal(
          {
            ok: false,
            code: 'bad_input',
            reason: `There is no release \`${cmd.releaseId}\`; the id is on the release card.`,
          },
          who,
          deps,
        );
      return auditText(release.id, await engine.auditTrail(cmd.releaseId));
    }
    case 'stats':
      if (!deps.delivery) return 'Delivery figures are not available in this process.';
      return statsText(await deps.delivery(cmd.days), cmd.service);
    case 'help':
      return helpText();
  }
}

/**
 * A refusal as the person reads it: a request naming something that does not exist is a bad command
 * like those the parser refuses (SPEC 2, 8): it gets the usage line and is audited. A link to a card
 * in it points at this workspace.
 */
async function refusal(result: Refused, who: Origin, deps: CommandDeps): Promise<string> {
  const mentioned = withMentions(result.reason);
  const reason = who.links ? relink(mentioned, who.links) : mentioned;
  if (result.code !== 'bad_input') return reason;
  await deps.engine.auditBadCommand(who.user, who.command, result.reason);
  return `${reason}\n${RELEASE_USAGE}`;
}

/** Whether the runbook's channel (an id or a #name) is the one the command was typed in. */
export function isThisChannel(configured: string, where: { channel: string; channelName?: string }): boolean {
  return configured === where.channel || configured.replace(/^#/, '') === where.channelName;
}
