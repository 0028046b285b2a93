// Buttons and checkboxes on the release card. Acknowledge at once; a Slack retry of the same click
// is dropped; a click that is not allowed gets an ephemeral explanation and changes nothing (the
// engine refuses and audits it).
import type { App, BlockAction, ButtonAction, CheckboxesAction } from '@slack/bolt';
import { firstClickDelivery, type CommandDeps } from './deps.ts';
import { INCIDENT_BUTTONS } from './incident-actions.ts';
import type { EngineResult } from '../src/engine/engine.ts';
import { preflightTickChanges } from '../src/slack/views/release-card.ts';
import { parsePromoteValue } from '../src/slack/views/card-actions.ts';
import { withMentions } from '../src/slack/people.ts';
import { openReasonModal, registerReasonModal } from './reason-modal.ts';
import { START_IN_ACTION_ID, parseStartInValue } from '../src/slack/views/promotion.ts';
import { HOME_LINK_ACTION } from '../src/slack/views/home.ts';

const RELEASE_BUTTONS = /^release_(approve|reject|pause|resume|promote|rollback|rerun_preflight)$/;

/**
 * Every action_id no listener handles: the exact ids above are excluded, not their prefixes. The
 * Home's link buttons are excluded by prefix: commands/home.ts acks them, and a Home view has no
 * response_url to answer on.
 */
const UNKNOWN_BUTTONS = new RegExp(
  `^(?!(?:${[RELEASE_BUTTONS, /^preflight_tick$/, START_IN_ACTION_ID, INCIDENT_BUTTONS].map((re) => re.source.slice(1, -1)).join('|')})$)(?!${HOME_LINK_ACTION.source.slice(1)}).+`,
);

export function registerReleaseActions(app: App, deps: CommandDeps): void {
  registerReasonModal(app, deps);
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: RELEASE_BUTTONS },
    async ({ ack, body, action, respond, client }) => {
      await ack();
      // Reject and Roll back ask for a reason first; their dialog's submission acts.
      if (action.action_id === 'release_reject' || action.action_id === 'release_rollback') {
        const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
        const kind = action.action_id === 'release_reject' ? 'reject' : 'rollback';
        await openReasonModal(deps, { body, action, client, say }, kind);
        return;
      }
      if (!(await firstClickDelivery(deps, body.user.id, action))) return;
      const actor = { user: body.user.id };
      const id = action.value ?? '';
      const { engine } = deps;
      let result: EngineResult;
      switch (action.action_id) {
        case 'release_approve':
          result = await engine.approve(id, actor);
          break;
        case 'release_pause':
          result = await engine.pause(id, actor);
          break;
        case 'release_resume':
          result = await engine.resume(id, actor);
          break;
        case 'release_promote': {
          const promote = parsePromoteValue(id);
          result = await engine.promote(promote.releaseId, actor, promote.stageIndex);
          break;
        }
        default:
          result = await engine.rerunPreflight(id, actor);
      }
      if (!result.ok)
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: withMentions(result.reason),
        });
    },
  );

  // *Start in <env>* under a completion post: a normal start there, as the clicker; every refusal
  // (windows, freeze, soak, the lock) is shown to them alone.
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: START_IN_ACTION_ID },
    async ({ ack, body, action, respond }) => {
      await ack();
      if (!(await firstClickDelivery(deps, body.user.id, action))) return;
      const target = parseStartInValue(action.value ?? '');
      const result = target
        ? await deps.engine.startIn(target.releaseId, target.environment, { user: body.user.id })
        : ({ ok: false, reason: 'That button is malformed; nothing was started.' } as const);
      if (!result.ok)
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: withMentions(result.reason),
        });
    },
  );

  app.action<BlockAction<CheckboxesAction>>(
    { type: 'block_actions', action_id: 'preflight_tick' },
    async ({ ack, body, action, respond }) => {
      await ack();
      if (!(await firstClickDelivery(deps, body.user.id, action))) return;
      // The checkboxes carry item ids; the card's buttons carry the release id.
      const releaseId = releaseIdOf(body);
      const release = releaseId ? await deps.engine.get(releaseId) : null;
      if (!release) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'That release no longer exists.',
        });
        return;
      }
      const selected = action.selected_options.flatMap((o) => (o.value ? [o.value] : []));
      for (const change of preflightTickChanges(release, action.block_id, selected)) {
        const result = await deps.engine.tick(
          release.id,
          change.itemId,
          { user: body.user.id },
          change.checked,
        );
        if (!result.ok) {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: withMentions(result.reason),
          });
          return;
        }
      }
    },
  );

  // Anything else (an old message, a button from another app version): say so rather than ignore it.
  app.action<BlockAction>(
    { type: 'block_actions', action_id: UNKNOWN_BUTTONS },
    async ({ ack, respond, body }) => {
      await ack();
      const ids = body.actions.map((a) => a.action_id);
      deps.log.warn({ user: body.user.id, actions: ids }, 'unknown button');
      await deps.engine.auditBadCommand(
        body.user.id,
        `button ${ids.join(', ')}`.slice(0, 200),
        'unknown button; nothing was changed',
      );
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'Runway does not know this button (is the message from an older version?). Nothing was changed.',
      });
    },
  );
}

/** The release a card message belongs to: the value of its release_* buttons. */
function releaseIdOf(body: BlockAction): string | null {
  const blocks = (body.message?.blocks ?? []) as {
    type?: string;
    elements?: { action_id?: string; value?: string }[];
  }[];
  for (const block of blocks) {
    for (const el of block.type === 'actions' ? (block.elements ?? []) : []) {
      if (el.action_id?.startsWith('release_') && el.value) return parsePromoteValue(el.value).releaseId;
    }
  }
  return null;
}
