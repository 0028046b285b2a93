import { describe, expect, it } from 'vitest';
import type { ActionsBlock, Button, Checkboxes, KnownBlock, SectionBlock } from '@slack/types';
import { validateBlocks, validateMessage } from '../../../src/slack/blockkit.ts';
import { ACTION_IDS, preflightTickChanges, releaseCard } from '../../../src/slack/views/release-card.ts';
import type { Release, ReleaseState } from '../../../src/release/types.ts';
import { startRollbackRelease } from '../../../src/release/machine.ts';
import { gate, makePlan } from '../../helpers/plan.ts';
import { MIN, NOW, at, hugeRelease, newRelease, reading, running } from './fixture.ts';

const card = (r: Release, now: Date = NOW) => releaseCard(r, { now });
const block = (blocks: KnownBlock[], id: string) => blocks.find((b) => b.block_id === id);
const textOf = (blocks: KnownBlock[], id: string): string => {
  const b = block(blocks, id) as SectionBlock | undefined;
  return b?.text?.text ?? '';
};
const buttons = (r: Release): Button[] =>
  ((block(card(r).blocks, 'card-actions') as ActionsBlock | undefined)?.elements ?? []) as Button[];
const actionIds = (r: Release) => buttons(r).map((b) => b.action_id);

function inState(state: ReleaseState, set: (r: Release) => void = () => {}): Release {
  const r = running(1, 'hold');
  r.state = state;
  set(r);
  return r;
}

describe('release card: the buttons each state shows', () => {
  const failedCheck = (r: Release) => {
    r.preflight[0] = { ...r.preflight[0]!, status: 'failed', detail: 'HTTP 503' };
  };
  const cases: [string, Release, string[]][] = [
    ['pre-flight', newRelease(), [ACTION_IDS.approve, ACTION_IDS.reject]],
    [
      'pre-flight with a failed automated check',
      (() => {
        const r = newRelease();
        failedCheck(r);
        return r;
      })(),
      [ACTION_IDS.approve, ACTION_IDS.reject, ACTION_IDS.rerunPreflight],
    ],
    [
      'awaiting approval',
      newRelease(undefined, { state: 'awaiting_approval' }),
      [ACTION_IDS.approve, ACTION_IDS.reject],
    ],
    ['running, stage action in progress', running(0, 'action'), [ACTION_IDS.pause, ACTION_IDS.rollback]],
    [
      'running, stage holding',
      running(1, 'hold'),
      [ACTION_IDS.pause, ACTION_IDS.promote, ACTION_IDS.rollback],
    ],
    [
      'running, approval stage',
      running(3, 'approval'),
      [ACTION_IDS.pause, ACTION_IDS.promote, ACTION_IDS.rollback],
    ],
    [
      'paused',
      inState('paused', (r) => (r.pause = { by: 'UBOB', at: at(0), reason: 'looking at logs' })),
      [ACTION_IDS.resume, ACTION_IDS.rollback],
    ],
    ['rolling back', inState('rolling_back'), []],
    ['completed', inState('completed'), []],
    ['rolled back', inState('rolled_back'), []],
    ['rejected', inState('rejected'), []],
    ['aborted', inState('aborted'), []],
    ['failed', inState('failed'), []],
  ];

  it.each(cases)('%s', (_name, release, expected) => {
    expect(actionIds(release)).toEqual(expected);
    if (expected.length === 0) expect(block(card(release).blocks, 'card-actions')).toBeUndefined();
  });

  it('uses the exact action ids the listeners register', () => {
    expect(ACTION_IDS).toEqual({
      approve: 'release_approve',
      reject: 'release_reject',
      pause: 'release_pause',
      resume: 'release_resume',
      promote: 'release_promote',
      rollback: 'release_rollback',
      rerunPreflight: 'release_rerun_preflight',
      preflightTick: 'preflight_tick',
    });
  });

  it('gives every button the release id as its value (Promote adds its stage), and styles approve, reject and roll back', () => {
    const before = buttons(newRelease());
    expect(before.map((b) => b.value)).toEqual(['checkout-production-1', 'checkout-production-1']);
    expect(before.map((b) => b.style)).toEqual(['primary', 'danger']);
    const during = buttons(running(1, 'hold'));
    expect(during.find((b) => b.action_id === ACTION_IDS.promote)?.value).toBe('checkout-production-1#1');
    expect(
      during
        .filter((b) => b.action_id !== ACTION_IDS.promote)
        .every((b) => b.value === 'checkout-production-1'),
    ).toBe(true);
    expect(during.find((b) => b.action_id === ACTION_IDS.rollback)?.style).toBe('danger');
  });
});

describe('release card: Promote says what it does', () => {
  it('ends the hold and names the next stage', () => {
    const confirm = buttons(running(1, 'hold')).find((b) => b.action_id === ACTION_IDS.promote)?.confirm;
    expect(confirm?.title?.text).toBe('Promote?');
    expect(confirm?.text.text).toBe(
      'Ends the hold of stage 2 (traffic 10%, hold 30m) now, without waiting for the rest of it, and starts stage 3/7 (traffic 50%, hold 1h).',
    );
    expect(confirm?.confirm?.text).toBe('Promote');
  });

  it('answers a manual approval stage', () => {
    const confirm = buttons(running(3, 'approval')).find((b) => b.action_id === ACTION_IDS.promote)?.confirm;
    expect(confirm?.text.text).toBe('Answers yes to _Promote to 100%?_ and starts stage 5/7 (traffic 100%).');
  });
});

describe('release card: a pause says why once', () => {
  it('leaves out a reason that only repeats who paused', () => {
    const r = inState(
      'paused',
      (x) => (x.pause = { by: 'UCAROL', at: at(0), reason: 'paused by <@UCAROL>' }),
    );
    const text = textOf(card(r).blocks, 'card-pause');
    expect(text).toBe('*Paused* by <@UCAROL>\n*Why:* _no reason given_');
    const why = inState(
      'paused',
      (x) => (x.pause = { by: 'UCAROL', at: at(0), reason: 'checking a dashboard' }),
    );
    expect(textOf(card(why).blocks, 'card-pause')).toBe('*Paused* by <@UCAROL>\n*Why:* checking a dashboard');
  });
});

describe('release card: the rollback confirm dialog', () => {
  it('names the version traffic returns to and the rollback action, with Roll back / Cancel', () => {
    const confirm = buttons(running(2, 'hold')).find((b) => b.action_id === ACTION_IDS.rollback)?.confirm;
    expect(confirm?.title?.text).toBe('Roll back?');
    expect(confirm?.text.text).toContain('v1.2.2');
    expect(confirm?.text.text).toContain('`./ops/rollback.sh v1.2.2`');
    expect(confirm?.text.text).toBe(
      'Traffic returns to *v1.2.2*. Runway sets traffic to 0%, then runs `./ops/rollback.sh v1.2.2`.',
    );
    expect(confirm?.confirm?.text).toBe('Roll back');
    expect(confirm?.deny?.text).toBe('Cancel');
    expect(confirm?.style).toBe('danger');
  });

  it('is on the paused card too', () => {
    const r = inState('paused', (x) => (x.pause = { by: 'runway', at: at(0), reason: 'gate breach' }));
    expect(buttons(r).find((b) => b.action_id === ACTION_IDS.rollback)?.confirm?.title?.text).toBe(
      'Roll back?',
    );
  });

  it('says so when there is no previous version to return to', () => {
    const r = running(1, 'hold');
    r.previousVersion = null;
    const confirm = buttons(r).find((b) => b.action_id === ACTION_IDS.rollback)?.confirm;
    expect(confirm?.text.text).toMatch(/No previous version is recorded/);
  });
});

describe('release card: gates against their thresholds', () => {
  it('prints the reading and the threshold of a gate within bounds', () => {
    const r = running(1, 'hold');
    r.gates.error_rate = reading({ value: 0.0012 });
    expect(textOf(card(r).blocks, 'card-gates')).toContain('*error_rate* 0.0012 (within max 0.005) ✅');
  });

  it('prints the breach, the threshold and how long it has lasted', () => {
    const r = running(1, 'hold');
    r.gates.error_rate = reading({ value: 0.052, verdict: 'breach', breachSince: at(-2 * MIN) });
    expect(textOf(card(r).blocks, 'card-gates')).toContain(
      '*error_rate* 0.052 > max 0.005 for 2m (allowed 5m) ⚠️ breaching',
    );
  });

  it('marks the breach that rolled the release back as failed, and stops the clock when gates stopped', () => {
    const r = running(1, 'hold');
    r.state = 'rolled_back';
    r.endedAt = at(-1 * MIN);
    r.stages[1] = {
      ...r.stages[1]!,
      status: 'failed',
      detail: 'gate error_rate: 0.052 > max 0.005 for 5m (allowed 5m)',
    };
    r.rollback = {
      reason: 'gate error_rate: 0.052 > max 0.005 for 5m (allowed 5m)',
      by: 'runway',
      at: at(-2 * MIN),
      automatic: true,
      steps: [],
      toVersion: 'v1.2.2',
    };
    r.gates.error_rate = reading({ value: 0.052, verdict: 'breach', breachSince: at(-7 * MIN) });
    const later = new Date(NOW.getTime() + 10 * MIN);
    const text = textOf(card(r, later).blocks, 'card-gates');
    expect(text).toContain('*Gates* (last readings)');
    expect(text).toContain('*error_rate* 0.052 > max 0.005 for 5m (allowed 5m) ❌ failed');
    // A card that ended is final: the same text whenever it is drawn again.
    expect(textOf(card(r, new Date(later.getTime() + 60 * MIN)).blocks, 'card-gates')).toBe(text);
  });

  it('says "no data" once, with why', () => {
    const r = running(1, 'hold');
    r.plan.gates.error_rate = { ...r.plan.gates.error_rate!, noData: 'ignore' };
    r.gates.error_rate = reading({
      value: null,
      verdict: 'no_data',
      error: 'no data: the query returned an empty vector',
    });
    expect(textOf(card(r).blocks, 'card-gates')).toContain(
      '*error_rate* no data (the query returned an empty vector), ignored (max 0.005) ➖',
    );
  });

  it('prints a min threshold breach and a gate with no data', () => {
    const plan = makePlan({
      gates: { error_rate: gate('error_rate'), rps: gate('rps', { max: undefined, min: 10 }) },
      stages: [{ kind: 'bake', holdMs: 30 * MIN, gates: ['error_rate', 'rps'] }],
    });
    const r = running(0, 'hold', plan);
    r.gates.rps = reading({ value: 3, verdict: 'breach', breachSince: at(-1 * MIN) });
    r.gates.error_rate = reading({
      value: null,
      verdict: 'no_data',
      error: 'Prometheus unreachable',
      breachSince: at(-30_000),
    });
    const text = textOf(card(r).blocks, 'card-gates');
    expect(text).toContain('*rps* 3 < min 10 for 1m (allowed 5m) ⚠️ breaching');
    expect(text).toContain('*error_rate* no data (Prometheus unreachable) for 30s (allowed 5m) ⚠️ breaching');
  });

  it('shows a gate of the current stage that has no sample yet', () => {
    expect(textOf(card(running(1, 'hold')).blocks, 'card-gates')).toContain(
      '*error_rate* waiting for the first sample (max 0.005) ⏳',
    );
  });
});

describe('release card: stages', () => {
  it('marks each stage, with its state in words, and shows the hold time left on the running one', () => {
    const r = running(1, 'hold');
    r.stages[1] = { ...r.stages[1]!, holdEndsAt: at(12 * MIN) };
    const text = textOf(card(r).blocks, 'card-stages');
    expect(text.split('\n')).toEqual([
      '*Stages*',
      '✅ 1. deploy — done',
      '▶️ 2. traffic 10%, hold 30m — holding, 12m left',
      '⏳ 3. traffic 50%, hold 1h — waiting',
      '⏳ 4. approval: Promote to 100%? — waiting',
      '⏳ 5. traffic 100% — waiting',
      '⏳ 6. smoke tests — waiting',
      '⏳ 7. bake 30m — waiting',
    ]);
  });

  it('shows the hold left while paused, and the running action otherwise', () => {
    const paused = running(2, 'hold');
    paused.state = 'paused';
    paused.pause = { by: 'UBOB', at: at(0), reason: 'checking a dashboard' };
    paused.stages[2] = { ...paused.stages[2]!, holdRemainingMs: 25 * MIN };
    expect(textOf(card(paused).blocks, 'card-stages')).toContain(
      '▶️ 3. traffic 50%, hold 1h — paused, 25m left',
    );
    expect(textOf(card(running(0, 'action')).blocks, 'card-stages')).toContain(
      '▶️ 1. deploy — running `deploy`',
    );
    expect(textOf(card(running(3, 'approval')).blocks, 'card-stages')).toContain(
      '▶️ 4. approval: Promote to 100%? — waiting for Promote',
    );
  });

  it('marks failed and skipped stages, with the failure', () => {
    const r = running(1, 'action');
    r.state = 'rolled_back';
    r.stages[1] = { ...r.stages[1]!, status: 'failed', detail: 'exit 2: connection refused\nmore output' };
    r.stages = r.stages.map((s, i) => (i > 1 ? { ...s, status: 'skipped' } : s));
    const lines = textOf(card(r).blocks, 'card-stages').split('\n');
    expect(lines[2]).toBe('❌ 2. traffic 10%, hold 30m — failed: exit 2: connection refused');
    expect(lines[3]).toBe('⏭️ 3. traffic 50%, hold 1h — skipped');
  });
});

describe('release card: pre-flight checkboxes', () => {
  const checkboxes = (r: Release): Checkboxes | undefined =>
    (block(card(r).blocks, 'card-preflight-tick') as ActionsBlock | undefined)?.elements[0] as
      Checkboxes | undefined;

  it('offers only the manual items, with the ticked ones checked', () => {
    const plan = makePlan({
      preflight: [
        { id: 'ci', title: 'All CI checks passing', manual: false, required: true },
        { id: 'backup', title: 'Database backup completed', manual: true, required: true },
        { id: 'notes', title: 'Release notes written', manual: true, required: false },
      ],
    });
    const r = newRelease(plan);
    r.preflight[1] = { ...r.preflight[1]!, status: 'passed', by: 'UBOB' };
    const box = checkboxes(r);
    expect(box?.action_id).toBe('preflight_tick');
    expect(box?.options.map((o) => o.value)).toEqual(['backup', 'notes']);
    expect(box?.initial_options?.map((o) => o.value)).toEqual(['backup']);
    const text = textOf(card(r).blocks, 'card-preflight');
    expect(text).toContain('⏳ All CI checks passing — checking');
    expect(text).not.toContain('Database backup');
  });

  it('leaves out initial_options when nothing is ticked', () => {
    expect(checkboxes(newRelease())?.initial_options).toBeUndefined();
  });

  it('shows the checklist as text once the release runs', () => {
    const r = running(1, 'hold');
    r.preflight[1] = { ...r.preflight[1]!, by: 'UBOB' };
    expect(checkboxes(r)).toBeUndefined();
    const text = textOf(card(r).blocks, 'card-preflight');
    expect(text).toContain('✅ All CI checks passing — passed');
    expect(text).toContain('☑️ Database backup completed — ticked by <@UBOB>');
  });

  it('shows a failed check with its detail', () => {
    const r = newRelease();
    r.preflight[0] = { ...r.preflight[0]!, status: 'failed', detail: 'HTTP 503 from ci.example.com' };
    expect(textOf(card(r).blocks, 'card-preflight')).toContain(
      '❌ All CI checks passing — failed: HTTP 503 from ci.example.com',
    );
  });

  it('splits more than ten manual items across blocks and maps a click back to its items', () => {
    const plan = makePlan({
      preflight: Array.from({ length: 12 }, (_, i) => ({
        id: `m${i}`,
        title: `Item ${i}`,
        manual: true,
        required: true,
      })),
    });
    const r = newRelease(plan);
    r.preflight[10] = { ...r.preflight[10]!, status: 'passed' };
    const blocks = card(r).blocks;
    const second = (block(blocks, 'card-preflight-tick-2') as ActionsBlock).elements[0] as Checkboxes;
    expect(second.options.map((o) => o.value)).toEqual(['m10', 'm11']);
    expect(preflightTickChanges(r, 'card-preflight-tick-2', ['m11'])).toEqual([
      { itemId: 'm10', checked: false },
      { itemId: 'm11', checked: true },
    ]);
    expect(preflightTickChanges(r, 'card-preflight-tick', ['m0'])).toEqual([{ itemId: 'm0', checked: true }]);
    expect(preflightTickChanges(r, 'card-actions', ['m0'])).toEqual([]);
  });
});

describe('release card: the rest of the story', () => {
  it('shows requester, state, traffic, previous version, hotfix and dry run in the summary', () => {
    const r = running(1, 'hold');
    r.traffic = 10;
    r.hotfix = { reason: 'payments down <!channel>' };
    r.dryRun = true;
    const fields = (block(card(r).blocks, 'card-summary') as SectionBlock).fields!.map((f) => f.text);
    expect(fields).toEqual([
      '*Requested by*\n<@UALICE>',
      '*State*\n▶️ Running',
      '*Traffic*\n10%',
      '*Previous version*\nv1.2.2',
      '*Hotfix*\n_payments down &lt;!channel&gt;_',
      '*Dry run*\nnothing is run, locked or changed',
    ]);
    expect((block(card(r).blocks, 'card-header') as { text: { text: string } }).text.text).toBe(
      '[dry run] checkout v1.2.3 → production',
    );
  });

  it('lists approvals so far', () => {
    expect(textOf(card(running(1, 'hold')).blocks, 'card-approvals')).toBe(
      '*Approvals* 2/2: <@UBOB>, <@UCAROL>',
    );
  });

  it('says why it paused, with the output tail in a code block', () => {
    const r = inState('paused', (x) => {
      x.pause = {
        by: 'runway',
        at: at(0),
        reason: 'deploy failed in stage 1 (deploy): exit 1\nError: disk full',
      };
    });
    const text = textOf(card(r).blocks, 'card-pause');
    expect(text).toContain('*Paused* by Runway');
    expect(text).toContain('deploy failed in stage 1 (deploy): exit 1');
    expect(text).toContain('```Error: disk full```');
  });

  it('shows the rollback reason and each step with its status', () => {
    const r = inState('rolling_back', (x) => {
      x.rollback = {
        reason: 'gate error_rate: 0.052 > max 0.005 for 5m (allowed 5m)',
        by: 'runway',
        at: at(0),
        automatic: true,
        toVersion: 'v1.2.2',
        steps: [
          { name: 'traffic', action: 'traffic', status: 'done' },
          {
            name: 'rollback',
            action: 'rollback',
            status: 'failed',
            detail: 'exit 1\nrollback.sh: permission denied',
          },
          { name: 'verify', action: 'smoke', status: 'waiting' },
        ],
      };
    });
    const text = textOf(card(r).blocks, 'card-rollback');
    expect(text).toContain('*Rollback* (automatic) to v1.2.2');
    expect(text).toContain('*Why:* gate error_rate: 0.052 &gt; max 0.005 for 5m (allowed 5m)');
    expect(text).toContain('✅ traffic to 0%');
    expect(text).toContain('❌ `./ops/rollback.sh v1.2.2`\n```exit 1\nrollback.sh: permission denied```');
    expect(text).toContain('⏳ smoke tests on the previous version');
  });

  it('shows the outcome once final, and a one-line text fallback', () => {
    const r = inState('completed', (x) => (x.outcome = 'checkout v1.2.3 is live in production.'));
    expect(textOf(card(r).blocks, 'card-outcome')).toBe('*Outcome:* checkout v1.2.3 is live in production.');
    const running2 = running(1, 'hold');
    running2.stages[1] = { ...running2.stages[1]!, holdEndsAt: at(12 * MIN) };
    running2.traffic = 10;
    expect(card(running2).text).toBe(
      'checkout v1.2.3 → production: running, stage 2/7 (traffic 10%, hold 30m), 12m left, traffic 10%',
    );
    expect(card(running2).text).not.toContain('\n');
  });

  it('shows a rollback of a finished release as a rollback, without approvals or stages', () => {
    const { release } = startRollbackRelease(
      {
        id: 'checkout-production-2',
        service: 'checkout',
        environment: 'production',
        version: 'v1.2.3',
        previousVersion: 'v1.2.2',
        requester: 'UBOB',
        plan: makePlan(),
        reason: 'customers report errors',
      },
      NOW,
    );
    const { blocks } = card(release);
    expect((block(blocks, 'card-header') as { text: { text: string } }).text.text).toBe(
      'Rollback of checkout v1.2.3 to v1.2.2 in production',
    );
    expect(blocks.map((b) => b.block_id)).toEqual([
      'card-header',
      'card-summary',
      'card-rollback',
      'card-context',
    ]);
    expect(textOf(blocks, 'card-rollback')).toContain(
      '*Rollback* (by <@UBOB>) to v1.2.2\n*Why:* customers report errors',
    );
  });

  it('makes notes inert: no @channel, no links of their own', () => {
    const r = newRelease(undefined, { notes: 'Ping <!channel> and <https://evil.example|click> & more' });
    expect(textOf(card(r).blocks, 'card-notes')).toBe(
      '*Notes*\nPing &lt;!channel&gt; and &lt;https://evil.example|click&gt; &amp; more',
    );
  });

  it('shows only the redacted action summaries, never other plan fields', () => {
    const plan = makePlan({
      gates: { error_rate: gate('error_rate', { source: 'https://prom?token=s3cr3t-SOURCE' }) },
      actionSummaries: {
        ...makePlan().actionSummaries,
        rollback: './ops/rollback.sh {{previous_version}} --token ***',
      },
      actions: ['deploy', 'traffic', 'smoke', 'rollback', 'page', 'secret-action-s3cr3t'],
    });
    const r = running(1, 'hold', plan);
    r.gates.error_rate = reading();
    const json = JSON.stringify(card(r));
    expect(json).toContain('./ops/rollback.sh v1.2.2 --token ***');
    expect(json).not.toContain('s3cr3t');
  });

  it('keeps block ids unique and stable across renders', () => {
    const r = running(1, 'hold');
    const ids = card(r).blocks.map((b) => b.block_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(card(r).blocks.map((b) => b.block_id)).toEqual(ids);
    expect(ids).toEqual([
      'card-header',
      'card-summary',
      'card-preflight',
      'card-approvals',
      'card-stages',
      'card-gates',
      'card-context',
      'card-actions',
    ]);
  });
});

describe('release card: within Block Kit limits whatever the runbook', () => {
  const states: ReleaseState[] = [
    'preflight',
    'awaiting_approval',
    'running',
    'paused',
    'rolling_back',
    'failed',
    'rolled_back',
  ];

  it.each(states)('a huge release %s', (state) => {
    const r = hugeRelease();
    r.state = state;
    r.pause = {
      by: 'runway',
      at: at(0),
      reason: `gate breach ${'y'.repeat(800)}\n${'tail line\n'.repeat(600)}`,
    };
    r.rollback = {
      reason: `action failed: ${'z'.repeat(2000)}\n${'out\n'.repeat(900)}`,
      by: 'UBOB',
      at: at(0),
      automatic: false,
      toVersion: 'v1.2.2',
      steps: [
        { name: 'traffic', action: 'traffic', status: 'done', detail: 'w'.repeat(5000) },
        {
          name: 'rollback',
          action: 'rollback',
          status: 'failed',
          detail: `exit 1\n${'stderr line\n'.repeat(2000)}`,
        },
        { name: 'verify', action: 'smoke', status: 'failed', detail: 'q'.repeat(9000) },
      ],
    };
    r.outcome = `Rollback incomplete: ${'v'.repeat(5000)}`;
    const message = card(r);
    expect(validateBlocks(message.blocks, { surface: 'message' })).toEqual([]);
    expect(validateMessage(message)).toEqual([]);
    // Cut text never leaves a code block open (the rest of the card would render as code).
    for (const b of message.blocks) {
      const text = (b as SectionBlock).text?.text ?? '';
      expect(text.split('```').length % 2, `${b.block_id} has an unclosed code block`).toBe(1);
    }
    expect(message.blocks[0]?.block_id).toBe('card-header');
    if (state === 'running' || state === 'paused' || state === 'preflight') {
      expect(message.blocks.at(-1)?.block_id).toBe('card-actions');
    }
  });

  it('still shows every one of the 30 stages and the running stage’s hold', () => {
    const text = card(hugeRelease())
      .blocks.filter((b) => b.block_id?.startsWith('card-stages'))
      .map((b) => (b as SectionBlock).text?.text ?? '')
      .join('\n');
    for (let i = 1; i <= 30; i++) expect(text).toContain(` ${i}. `);
    expect(text).toContain('— holding, 12m left');
  });
});
