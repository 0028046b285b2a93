// `/incident …`: parse (pure), acknowledge at once — with the usage when the text is bad — then ask
// the incident service and answer the person ephemerally. update and resolve act on the incident
// whose channel the command was typed in.
import type { App } from '@slack/bolt';
import type { IncidentService } from '../src/incidents/service.ts';
import { parseIncidentCommand, type IncidentCommand } from '../src/slack/parse/incident-command.ts';
import { INCIDENT_USAGE, SEVERITY_MATRIX, severityLine } from '../src/slack/views/help.ts';
import { pagingText } from '../src/slack/views/incident-format.ts';
import { incidentListText } from '../src/slack/views/incident-text.ts';
import { NOT_WIRED, type AllCommandDeps } from './incident-deps.ts';
import { firstCommandDelivery } from './deps.ts';

export function registerIncidentCommand(app: App, deps: AllCommandDeps): void {
  app.command('/incident', async ({ command, ack, respond }) => {
    const parsed = parseIncidentCommand(command.text);
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: `${parsed.error}\n${INCIDENT_USAGE}` });
      await deps.engine.auditBadCommand(command.user_id, `/incident ${command.text}`, parsed.error);
      return;
    }
    if (parsed.command.verb === 'help') {
      await ack({ response_type: 'ephemeral', text: incidentHelp() });
      return;
    }
    const service = deps.incidents;
    if (!service) {
      await ack({ response_type: 'ephemeral', text: NOT_WIRED });
      return;
    }
    await ack();
    if (!(await firstCommandDelivery(deps, command))) return; // a Slack retry of a command already handled
    const log = deps.log.child({ user: command.user_id, command: `incident ${parsed.command.verb}` });
    try {
      const text = await handle(
        parsed.command,
        { user: command.user_id, channel: command.channel_id },
        service,
        (reason) => deps.engine.auditBadCommand(command.user_id, `/incident ${command.text}`, reason),
      );
      await respond({ response_type: 'ephemeral', text });
    } catch (error) {
      log.error({ err: error }, '/incident failed');
      await respond({
        response_type: 'ephemeral',
        text: 'Runway could not do that just now (an internal error was logged). Try again in a moment.',
      });
    }
  });
}

async function handle(
  cmd: Exclude<IncidentCommand, { verb: 'help' }>,
  who: { user: string; channel: string },
  service: IncidentService,
  /** Audits a command that is bad where it was typed, as the parser's refusals are. */
  refuse: (reason: string) => Promise<void>,
): Promise<string> {
  switch (cmd.verb) {
    case 'declare': {
      const result = await service.declare({ severity: cmd.severity, title: cmd.title, user: who.user });
      if (!result.ok) return result.reason;
      const i = result.incident;
      return `Declared *${i.severity.toUpperCase()}* <#${i.channelId}>. You are the commander; the on-call approvers are being invited. Paging: ${pagingText(i.paging)}.`;
    }
    case 'update':
    case 'resolve': {
      const incident = await service.inChannel(who.channel);
      if (!incident) {
        // A bad command like any other: it says what is wrong, shows the usage, and is audited.
        const reason = `\`/incident ${cmd.verb}\` works inside an incident channel, and this is not one.`;
        await refuse(reason);
        const open = await service.listOpen();
        return `${reason}\n${INCIDENT_USAGE}${open.length ? `\n${incidentListText(open, new Date())}` : ''}`;
      }
      if (cmd.verb === 'update') {
        const result = await service.postUpdate(incident.id, who.user, cmd.text);
        return result.ok ? 'Update posted.' : result.reason;
      }
      const result = await service.resolve(incident.id, who.user, cmd.summary);
      return result.ok ? 'Resolved. The postmortem draft is being posted in this channel.' : result.reason;
    }
    case 'list':
      return incidentListText(await service.listOpen(), new Date());
  }
}

function incidentHelp(): string {
  return [INCIDENT_USAGE, '', '*Severity matrix*', ...SEVERITY_MATRIX.map(severityLine)].join('\n');
}
