// Reject and Roll back ask for a reason first (SPEC section 10): the card's button opens the dialog
// right in the click's listener (views.open needs the trigger within 3 s; never from a job), and only
// its submission acts. A refusal shows on the dialog's field, so nothing changes behind the person.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CommandDeps } from './deps.ts';
import type { EngineResult } from '../src/engine/engine.ts';
import { withMentions } from '../src/slack/people.ts';
import {
  parseReasonTarget,
  reasonModal,
  REASON_ACTION_ID,
  REASON_BLOCK_ID,
  REASON_MODAL_CALLBACK,
  type ReasonTarget,
} from '../src/slack/views/reason-modal.ts';

/** Opens the reason dialog for a Reject or Roll back click; says so when it cannot. */
export async function openReasonModal(
  deps: CommandDeps,
  args: {
    body: BlockAction<ButtonAction>;
    action: ButtonAction;
    client: App['client'];
    say: (text: string) => Promise<unknown>;
  },
  kind: ReasonTarget['kind'],
): Promise<void> {
  const releaseId = args.action.value ?? '';
  const release = await deps.engine.get(releaseId);
  if (!release) return void (await args.say('That release no longer exists.'));
  // A click that would be refused is told so at once; the dialog is only for an allowed one.
  const actor = { user: args.body.user.id };
  const denied = await deps.engine.check(
    releaseId,
    kind === 'reject' ? { type: 'rejected', actor } : { type: 'rollbackRequested', actor },
  );
  if (denied) return void (await args.say(withMentions(denied.reason)));
  const about = `${release.service} ${release.version} to ${release.environment} (${release.id})`;
  try {
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: reasonModal({ kind, releaseId }, about),
    });
  } catch (error) {
    deps.log.warn(
      { releaseId, err: error instanceof Error ? error.message : String(error) },
      'could not open the reason dialog',
    );
    await args.say(
      kind === 'reject'
        ? 'Runway could not open the reject dialog; click Reject again.'
        : 'Runway could not open the rollback dialog; use `/release rollback <service> <reason>`.',
    );
  }
}

export function registerReasonModal(app: App, deps: CommandDeps): void {
  app.view(REASON_MODAL_CALLBACK, async ({ ack, body, view }) => {
    const target = parseReasonTarget(view.private_metadata);
    const reason = view.state.values[REASON_BLOCK_ID]?.[REASON_ACTION_ID]?.value?.trim() ?? '';
    const fieldError = (text: string) =>
      ack({ response_action: 'errors', errors: { [REASON_BLOCK_ID]: text } });
    if (!target) return void (await fieldError('This dialog is not one Runway knows; nothing was changed.'));
    if (target.kind === 'reject' && !reason)
      return void (await fieldError('Say why, so the requester knows what to fix.'));
    const actor = { user: body.user.id };
    const result: EngineResult =
      target.kind === 'reject'
        ? await deps.engine.reject(target.releaseId, actor, reason)
        : await deps.engine.apply(target.releaseId, {
            type: 'rollbackRequested',
            actor,
            ...(reason ? { reason } : {}),
          });
    if (!result.ok) return void (await fieldError(withMentions(result.reason).slice(0, 1000)));
    await ack();
  });
}
