// The one-field dialogs (Post update, Resolve, Reject, Roll back): one builder, each dialog's words,
// its field and what rides in private_metadata; a rollback's dialog says what the rollback will do.
import { describe, expect, it } from 'vitest';
import type { AnyBlock, InputBlock, PlainTextInput, SectionBlock } from '@slack/types';
import { validateBlocks } from '../../../src/slack/blockkit.ts';
import { textDialog } from '../../../src/slack/views/text-dialog.ts';
import { resolveModal, updateModal } from '../../../src/slack/views/incident-modal.ts';
import { parseReasonTarget, reasonModal } from '../../../src/slack/views/reason-modal.ts';
import { incident } from '../incidents/fixture.ts';
import { running } from './fixture.ts';
import { makePlan } from '../../helpers/plan.ts';
import type { PlannedStage, Release } from '../../../src/release/types.ts';

const about = (blocks: AnyBlock[]) => (blocks[0] as SectionBlock).text;
const input = (blocks: AnyBlock[]) => blocks[1] as InputBlock;
const field = (blocks: AnyBlock[]) => input(blocks).element as PlainTextInput;

describe('textDialog', () => {
  const spec = {
    callbackId: 'cb',
    metadata: 'target-1',
    title: 'Title',
    submit: 'Go',
    about: { blockId: 'about', text: 'x'.repeat(5000), format: 'mrkdwn' as const },
    field: { blockId: 'f', actionId: 'a', label: 'Label', maxLength: 500 },
  };

  it('is a modal with one section and one multiline text field, Cancel to close', () => {
    const view = textDialog(spec);
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'cb',
      private_metadata: 'target-1',
      title: { text: 'Title' },
      submit: { text: 'Go' },
      close: { text: 'Cancel' },
    });
    expect(view.blocks.map((b) => [b.type, b.block_id])).toEqual([
      ['section', 'about'],
      ['input', 'f'],
    ]);
    expect(field(view.blocks)).toEqual({
      type: 'plain_text_input',
      action_id: 'a',
      multiline: true,
      max_length: 500,
    });
    expect(about(view.blocks)?.text.length).toBeLessThanOrEqual(2900);
    expect(validateBlocks(view.blocks, { surface: 'modal' })).toEqual([]);
  });

  it('leaves out what is not asked for, and carries optional, hint and placeholder when given', () => {
    expect(input(textDialog(spec).blocks)).not.toHaveProperty('optional');
    expect(input(textDialog(spec).blocks)).not.toHaveProperty('hint');
    const full = textDialog({
      ...spec,
      field: { ...spec.field, optional: false, hint: 'H', placeholder: 'P' },
    });
    expect(input(full.blocks).optional).toBe(false);
    expect(input(full.blocks).hint).toEqual({ type: 'plain_text', text: 'H' });
    expect(field(full.blocks).placeholder).toEqual({ type: 'plain_text', text: 'P' });
  });
});

describe('the incident dialogs', () => {
  it.each([
    ['Post update', updateModal, 'incident_update_modal', 'incident-update', 'text', undefined],
    ['Resolve incident', resolveModal, 'incident_resolve_modal', 'incident-resolve', 'summary', true],
  ])(
    '%s: the incident id in metadata, its severity and title escaped, its field',
    (title, build, cb, block, action, optional) => {
      const view = build(incident({ title: 'Checkout <!channel> & more' }));
      expect(view.title?.text).toBe(title);
      expect(view.callback_id).toBe(cb);
      expect(view.private_metadata).toBe('inc-20261124-checkout-errors-after-v1-2-3');
      expect(about(view.blocks)?.type).toBe('mrkdwn');
      expect(about(view.blocks)?.text).toMatch(/^\*SEV2\* · Checkout &lt;!channel&gt; &amp; more/);
      expect(input(view.blocks).block_id).toBe(block);
      expect(input(view.blocks).optional).toBe(optional);
      expect(field(view.blocks).action_id).toBe(action);
      expect(validateBlocks(view.blocks, { surface: 'modal' })).toEqual([]);
    },
  );
});

describe('the Resolve dialog', () => {
  it('is the one confirmation: it says what resolving does (the card’s Resolve button has no confirm)', () => {
    expect(about(resolveModal(incident()).blocks)?.text).toBe(
      '*SEV2* · Checkout errors after v1.2.3\n' +
        'Resolving marks it resolved, resolves the page and posts a postmortem draft in this channel.',
    );
    expect(about(updateModal(incident()).blocks)?.text).toBe('*SEV2* · Checkout errors after v1.2.3');
  });
});

describe('the reason dialogs', () => {
  const r = running(2, 'hold');

  it('Reject requires a reason and names the release; its target comes back through zod', () => {
    const view = reasonModal({ kind: 'reject', releaseId: r.id }, r);
    expect(view.title?.text).toBe('Reject release');
    expect(about(view.blocks)).toEqual({
      type: 'plain_text',
      text: 'checkout v1.2.3 to production (checkout-production-1)',
    });
    expect(input(view.blocks).optional).toBe(false);
    expect(parseReasonTarget(view.private_metadata ?? '')).toEqual({ kind: 'reject', releaseId: r.id });
    expect(parseReasonTarget('{"kind":"delete","releaseId":"x"}')).toBeNull();
    expect(parseReasonTarget('not json')).toBeNull();
  });

  it('Roll back is the one confirmation: it says what the rollback will do, when, and that Cancel does nothing', () => {
    const view = reasonModal({ kind: 'rollback', releaseId: r.id }, r);
    expect(view.title?.text).toBe('Roll back release');
    expect(view.submit?.text).toBe('Roll back');
    expect(view.close?.text).toBe('Cancel');
    expect(about(view.blocks)).toEqual({
      type: 'mrkdwn',
      text:
        '*Roll back checkout v1.2.3 to production (checkout-production-1)*\n' +
        'Traffic returns to *v1.2.2*. Runway sets traffic to 0%, then runs `./ops/rollback.sh v1.2.2`.',
    });
    expect(input(view.blocks).optional).toBe(true);
    expect(input(view.blocks).hint?.text).toBe(
      'The rollback starts as soon as you submit; Cancel changes nothing.',
    );
    expect(validateBlocks(view.blocks, { surface: 'modal' })).toEqual([]);
  });

  it('Roll back lists the walk back the machine will take: undos of the stages that started, newest first', () => {
    const stages: PlannedStage[] = [
      {
        kind: 'run',
        action: 'migrate',
        holdMs: 0,
        gates: [],
        undo: 'migrate_down',
        name: 'Database migration',
      },
      { kind: 'deploy', action: 'deploy', gates: [] },
      { kind: 'flag', action: 'ai_flag', percent: 10, holdMs: 0, gates: [] },
      { kind: 'traffic', percent: 50, holdMs: 0, gates: [], action: 'traffic' },
    ];
    const plan = makePlan({
      stages,
      actions: ['migrate', 'migrate_down', 'deploy', 'ai_flag', 'traffic', 'rollback'],
      actionSummaries: {
        migrate_down: './ops/migrate.sh down',
        ai_flag: 'launchdarkly flag ai_suggestions',
        rollback: './ops/rollback.sh {{previous_version}}',
      },
    });
    const text = (r: Release) => about(reasonModal({ kind: 'rollback', releaseId: r.id }, r).blocks)?.text;
    expect(text(running(3, 'hold', plan))).toBe(
      '*Roll back checkout v1.2.3 to production (checkout-production-1)*\n' +
        'Traffic returns to *v1.2.2*. Runway sets traffic to 0%, ' +
        'then turns `launchdarkly flag ai_suggestions` off (undoes flag ai_flag 10%), ' +
        'then runs `./ops/rollback.sh v1.2.2`, ' +
        'then runs `./ops/migrate.sh down` (undoes Database migration).',
    );
    // Stopped during the migration: only its undo runs (the deploy never started).
    expect(text(running(0, 'action', plan))).toBe(
      '*Roll back checkout v1.2.3 to production (checkout-production-1)*\n' +
        'Traffic returns to *v1.2.2*. Runway sets traffic to 0%, ' +
        'then runs `./ops/migrate.sh down` (undoes Database migration).',
    );
  });

  it('Roll back says so when there is no previous version to return to', () => {
    const none = running(1, 'hold');
    none.previousVersion = null;
    const text = about(reasonModal({ kind: 'rollback', releaseId: none.id }, none).blocks)?.text ?? '';
    expect(text).toMatch(/No previous version is recorded: nothing is redeployed\./);
  });
});
