// Card and audit rendering defects found by driving the real bot: output tails quoted twice ('''
// inside ``` blocks), "Traffic 0%" on releases that never set traffic, and escaped mentions in
// `/release audit`.
import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { Release } from '../../../src/release/types.ts';
import { LIMITS, validateMessage } from '../../../src/slack/blockkit.ts';
import { releaseCard } from '../../../src/slack/views/release-card.ts';
import { auditText, compactDetails, listText, statusText } from '../../../src/slack/views/release-text.ts';
import { homeView } from '../../../src/slack/views/home.ts';
import { makePlan } from '../../helpers/plan.ts';
import { joinPlan } from '../../../src/store/release-codec.ts';
import { NOW, at, newRelease, rollbackRelease, running } from '../views/fixture.ts';

const card = (r: Release) => releaseCard(r, { now: NOW });
const textOf = (blocks: KnownBlock[], id: string): string =>
  (blocks.find((b) => b.block_id === id) as SectionBlock | undefined)?.text?.text ?? '';
const fieldOf = (blocks: KnownBlock[], title: string): string | undefined =>
  (blocks.find((b) => b.block_id === 'card-summary') as SectionBlock).fields
    ?.map((f) => f.text)
    .find((t) => t.startsWith(`*${title}*`));
const allText = (blocks: KnownBlock[]): string =>
  blocks.map((b) => (b as SectionBlock).text?.text ?? '').join('\n');

const DEPLOY_FAILED = 'deploy failed in stage 1 (deploy): exit 1 in 0.1s';
const DEPLOY_OUTPUT = 'step one\nERROR: image not found';
const DEPLOY_TAIL = '```step one\nERROR: image not found```';
const STEPS_DONE = '✅ traffic to 0% — HTTP 200 in 0.1s\n✅ `./ops/rollback.sh v1.2.2` — exit 0 in 1.2s';

function rolledBack(
  reason: string,
  tail?: string,
  over: Partial<NonNullable<Release['rollback']>> = {},
): Release {
  const r = running(0, 'action');
  r.state = 'rolled_back';
  const steps: NonNullable<Release['rollback']>['steps'] = [
    { name: 'traffic', action: 'traffic', status: 'done', detail: { summary: 'HTTP 200 in 0.1s' } },
    { name: 'rollback', action: 'rollback', status: 'done', detail: { summary: 'exit 0 in 1.2s' } },
  ];
  r.rollback = {
    reason,
    ...(tail ? { tail } : {}),
    by: 'runway',
    at: at(0),
    automatic: true,
    toVersion: 'v1.2.2',
    steps,
    ...over,
  };
  return r;
}

const failedRollbackStep = (): Release => {
  const r = rolledBack('requested by <@UBOB>', undefined, {
    automatic: false,
    by: 'UBOB',
    steps: [
      {
        name: 'rollback',
        action: 'rollback',
        status: 'failed',
        detail: { summary: 'exit 1 in 0.2s', tail: 'rollback.sh: permission denied' },
      },
    ],
  });
  r.state = 'failed';
  r.outcome = 'Rollback incomplete: rollback failed (exit 1 in 0.2s).';
  return r;
};

const FAILED_STEP_BLOCK =
  '*Rollback* (by <@UBOB>) to v1.2.2\n*Why:* requested by <@UBOB>\n❌ `./ops/rollback.sh v1.2.2` — exit 1 in 0.2s\n```rollback.sh: permission denied```';

interface TailCase {
  name: string;
  release: () => Release;
  block: string;
  expected: string;
}

function expectTailOnce({ release, block, expected }: TailCase): void {
  const { blocks } = card(release());
  expect(textOf(blocks, block)).toBe(expected);
  const text = allText(blocks);
  expect(text).not.toContain("'''");
  expect(text.split('```').length % 2, 'balanced code fences').toBe(1);
  // The tail appears once on the whole card.
  const tail = /```([\s\S]*?)```/.exec(expected)?.[1];
  if (tail) expect(text.split(tail).length - 1).toBe(1);
}

describe('card: output tails are quoted once, cleanly', () => {
  const cases: TailCase[] = [
    {
      name: 'pause reason: the sentence as text, the tail in one code block',
      release: () => {
        const r = running(0, 'action');
        r.state = 'paused';
        r.pause = { by: 'runway', at: at(0), reason: DEPLOY_FAILED, tail: DEPLOY_OUTPUT };
        return r;
      },
      block: 'card-pause',
      expected: `*Paused* by Runway\n*Why:* ${DEPLOY_FAILED}\n${DEPLOY_TAIL}`,
    },
    {
      name: 'rollback reason',
      release: () => rolledBack(DEPLOY_FAILED, DEPLOY_OUTPUT),
      block: 'card-rollback',
      expected: `*Rollback* (automatic) to v1.2.2\n*Why:* ${DEPLOY_FAILED}\n${DEPLOY_TAIL}\n${STEPS_DONE}`,
    },
    {
      name: 'an outcome is its sentence: the failed step it is about shows the tail',
      release: failedRollbackStep,
      block: 'card-outcome',
      expected: '*Outcome:* Rollback incomplete: rollback failed (exit 1 in 0.2s).',
    },
    {
      name: 'outcome repeating the rollback reason: its tail is not shown a second time',
      release: () => {
        const r = rolledBack(DEPLOY_FAILED, DEPLOY_OUTPUT);
        r.outcome = `Rolled back to v1.2.2: ${DEPLOY_FAILED}`;
        return r;
      },
      block: 'card-outcome',
      expected: `*Outcome:* Rolled back to v1.2.2: ${DEPLOY_FAILED}`,
    },
    {
      name: 'a failed rollback step: its summary on the line, its tail under it',
      release: failedRollbackStep,
      block: 'card-rollback',
      expected: FAILED_STEP_BLOCK,
    },
    {
      name: 'output with &, < and > is escaped once inside the code block',
      release: () => rolledBack('smoke failed in stage 6 (smoke tests): HTTP 503', 'a < b && c > d'),
      block: 'card-rollback',
      expected: `*Rollback* (automatic) to v1.2.2\n*Why:* smoke failed in stage 6 (smoke tests): HTTP 503\n\`\`\`a &lt; b &amp;&amp; c &gt; d\`\`\`\n${STEPS_DONE}`,
    },
  ];

  it.each(cases)('$name', expectTailOnce);

  it('a ``` inside the output cannot close the code block early', () => {
    const { blocks } = card(rolledBack(DEPLOY_FAILED, 'before ``` after'));
    expect(textOf(blocks, 'card-rollback')).toBe(
      `*Rollback* (automatic) to v1.2.2\n*Why:* ${DEPLOY_FAILED}\n\`\`\`before ''' after\`\`\`\n${STEPS_DONE}`,
    );
    expect(allText(blocks).split('```').length % 2, 'balanced code fences').toBe(1);
  });

  it('stays within Block Kit limits with a long tail, keeping the summary and the end of the output', () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(60)}`).join('\n');
    const reason = 'deploy failed in stage 1 (deploy): exit 1 in 3.2s';
    const r = rolledBack(reason, long);
    r.state = 'paused';
    r.pause = { by: 'runway', at: at(0), reason, tail: long };
    r.outcome = `Rolled back to v1.2.2: ${reason}`;
    const message = card(r);
    expect(validateMessage(message)).toEqual([]);
    for (const id of ['card-pause', 'card-rollback', 'card-outcome']) {
      const text = textOf(message.blocks, id);
      expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(text).toContain(reason);
      expect(text).not.toContain("'''");
      expect(text.split('```').length % 2, `${id} fences`).toBe(1);
    }
    expect(textOf(message.blocks, 'card-pause')).toContain('line 399');
  });
});

/** A failed action's detail exactly as the previous version's jobs/run-step.ts wrote it. */
const fenced = (summary: string, tail: string) => `${summary}\n\`\`\`${tail}\`\`\``;

/** A release as the previous version stored it, read back through the codec as a worker would. */
function storedByPreviousVersion(edit: (old: Record<string, unknown>) => void): Release {
  const { plan, ...state } = running(0, 'action');
  const old = structuredClone(state) as unknown as Record<string, unknown>;
  edit(old);
  return joinPlan(new Map(), state.id, JSON.stringify(old), plan);
}

describe('card: a release stored by the previous version (output as fenced text) reads the same', () => {
  const oldSteps = (rollbackDetail: string) => [
    { name: 'traffic', action: 'traffic', status: 'done', detail: 'HTTP 200 in 0.1s' },
    { name: 'rollback', action: 'rollback', status: 'done', detail: rollbackDetail },
  ];
  const oldRollback = (reason: string, steps: Record<string, unknown>[] = oldSteps('exit 0 in 1.2s')) => ({
    reason,
    by: 'runway',
    at: at(0),
    automatic: true,
    toVersion: 'v1.2.2',
    steps,
  });
  const OLD_REASON = `deploy failed in stage 1 (deploy): ${fenced('exit 1 in 0.1s', DEPLOY_OUTPUT)}`;
  const OLD_FAILED_STEP = {
    name: 'rollback',
    action: 'rollback',
    status: 'failed',
    detail: fenced('exit 1 in 0.2s', 'rollback.sh: permission denied'),
  };

  const cases: TailCase[] = [
    {
      name: 'a pause whose reason quoted the output',
      release: () =>
        storedByPreviousVersion((old) => {
          old.state = 'paused';
          old.pause = { by: 'runway', at: at(0), reason: OLD_REASON };
        }),
      block: 'card-pause',
      expected: `*Paused* by Runway\n*Why:* ${DEPLOY_FAILED}\n${DEPLOY_TAIL}`,
    },
    {
      name: 'a rollback whose reason quoted the output, and an outcome quoting it again',
      release: () =>
        storedByPreviousVersion((old) => {
          old.state = 'rolled_back';
          old.rollback = oldRollback(OLD_REASON);
          old.outcome = `Rolled back to v1.2.2: ${OLD_REASON}`;
        }),
      block: 'card-rollback',
      expected: `*Rollback* (automatic) to v1.2.2\n*Why:* ${DEPLOY_FAILED}\n${DEPLOY_TAIL}\n${STEPS_DONE}`,
    },
    {
      name: 'an outcome quoting a failed step mid-sentence: the sentence closes',
      release: () =>
        storedByPreviousVersion((old) => {
          old.state = 'failed';
          old.rollback = {
            ...oldRollback('requested by <@UBOB>', [OLD_FAILED_STEP]),
            automatic: false,
            by: 'UBOB',
          };
          old.outcome = `Rollback incomplete: rollback failed (${fenced('exit 1 in 0.2s', 'rollback.sh: permission denied')}).`;
        }),
      block: 'card-outcome',
      expected: '*Outcome:* Rollback incomplete: rollback failed (exit 1 in 0.2s).',
    },
    {
      name: 'a failed rollback step with its fenced detail',
      release: () =>
        storedByPreviousVersion((old) => {
          old.state = 'failed';
          old.rollback = {
            ...oldRollback('requested by <@UBOB>', [OLD_FAILED_STEP]),
            automatic: false,
            by: 'UBOB',
          };
        }),
      block: 'card-rollback',
      expected: FAILED_STEP_BLOCK,
    },
  ];

  it.each(cases)('$name', expectTailOnce);

  it('decodes old string details into { summary, tail } on stages, pre-flight items and steps', () => {
    const r = storedByPreviousVersion((old) => {
      const stages = old.stages as Record<string, unknown>[];
      stages[0] = { ...stages[0], status: 'failed', detail: fenced('exit 1 in 0.1s', DEPLOY_OUTPUT) };
      const preflight = old.preflight as Record<string, unknown>[];
      preflight[0] = { ...preflight[0], status: 'failed', detail: 'HTTP 503\nService Unavailable' };
      old.state = 'rolled_back';
      old.rollback = oldRollback(OLD_REASON);
    });
    expect(r.stages[0]!.detail).toEqual({ summary: 'exit 1 in 0.1s', tail: DEPLOY_OUTPUT });
    expect(r.preflight[0]!.detail).toEqual({ summary: 'HTTP 503', tail: 'Service Unavailable' });
    expect(r.rollback!.steps[1]!.detail).toEqual({ summary: 'exit 0 in 1.2s' });
    expect(r.rollback!.reason).toBe(DEPLOY_FAILED);
    expect(r.rollback!.tail).toBe(DEPLOY_OUTPUT);
    const blocks = card(r).blocks;
    expect(textOf(blocks, 'card-stages')).toContain('failed: exit 1 in 0.1s');
    expect(allText(blocks).split(DEPLOY_OUTPUT).length - 1).toBe(1);
  });

  it('leaves a release in the current shape as it is', () => {
    const current = rolledBack(DEPLOY_FAILED, DEPLOY_OUTPUT);
    current.pause = { by: 'UBOB', at: at(0), reason: 'line one\nline two' };
    const { plan, ...state } = current;
    expect(joinPlan(new Map(), current.id, JSON.stringify(state), plan)).toEqual(current);
  });
});

describe('card: traffic is shown only when the release sets it', () => {
  const deployOnly = makePlan({
    stages: [
      { kind: 'deploy', action: 'deploy', gates: [] },
      { kind: 'smoke', action: 'smoke', gates: [] },
    ],
  });
  const rollbackOf = (trafficStep: 'waiting' | 'done'): Release => {
    const release = rollbackRelease();
    release.rollback!.steps[0]!.status = trafficStep;
    return release;
  };

  const cases: { name: string; release: () => Release; field: string; fallback: RegExp | null }[] = [
    {
      name: 'a completed deploy-only release',
      release: () => {
        const r = newRelease(deployOnly);
        r.state = 'completed';
        r.stages = r.stages.map((s) => ({ ...s, status: 'done' }));
        r.stageIndex = 1;
        return r;
      },
      field: '*Traffic*\n— _(no traffic stage)_',
      fallback: null,
    },
    {
      name: 'a running deploy-only release',
      release: () => running(0, 'action', deployOnly),
      field: '*Traffic*\n— _(no traffic stage)_',
      fallback: null,
    },
    {
      name: 'a canary before its first traffic stage',
      release: () => running(0, 'action'),
      field: '*Traffic*\n0%',
      fallback: /traffic 0%$/,
    },
    {
      name: 'a completed canary whose traffic action set 100%',
      release: () => {
        const r = running(6, 'hold');
        r.state = 'completed';
        r.traffic = 100;
        return r;
      },
      field: '*Traffic*\n100%',
      fallback: /traffic 100%$/,
    },
    {
      name: 'a rollback before its traffic step ran',
      release: () => rollbackOf('waiting'),
      field: '*Traffic*\n—',
      fallback: null,
    },
    {
      name: 'a rollback after its traffic step set 0%',
      release: () => rollbackOf('done'),
      field: '*Traffic*\n0%',
      fallback: /traffic 0%$/,
    },
  ];

  it.each(cases)('$name', ({ release, field, fallback }) => {
    const r = release();
    const message = card(r);
    expect(fieldOf(message.blocks, 'Traffic')).toBe(field);
    if (fallback) expect(message.text).toMatch(fallback);
    else expect(message.text).not.toMatch(/traffic/i);
  });

  it('leaves traffic out of /release status, list and the Home tab for a deploy-only release', () => {
    const r = running(0, 'action', deployOnly);
    const texts = [
      statusText([r], { now: NOW }),
      listText([r], { now: NOW }),
      JSON.stringify(homeView({ active: [r], recent: [], freezes: {}, now: NOW })),
    ];
    for (const text of texts) expect(text).not.toMatch(/traffic \d+%/);
    expect(statusText([running(1, 'hold')], { now: NOW })).toContain('traffic 0%');
  });
});

describe('/release audit: mentions stay mentions, typed text is escaped once', () => {
  it.each([
    ['a mention Runway wrote', { note: 'confirmed by <@UALICE>' }, 'note=confirmed by <@UALICE>'],
    ['a default rollback reason', { reason: 'requested by <@UBOB>' }, 'reason=requested by <@UBOB>'],
    ['a mention with a label', { reason: 'ask <@W0CAROL|carol>' }, 'reason=ask <@W0CAROL>'],
    ['&, < and > typed by a person', { reason: 'a < b & c > d' }, 'reason=a &lt; b &amp; c &gt; d'],
    ['a broadcast', { reason: '<!channel> look' }, 'reason=&lt;!channel&gt; look'],
    ['a user group ping', { reason: '<!subteam^S0SRE> look' }, 'reason=&lt;!subteam^S0SRE&gt; look'],
    ['a link', { reason: '<https://evil.example|click>' }, 'reason=&lt;https://evil.example|click&gt;'],
    ['an entity typed as text', { reason: 'AT&amp;T' }, 'reason=AT&amp;amp;T'],
    [
      'an abort with a mention and typed text',
      { reason: 'Aborted by <@UALICE>: x<y', traffic: 0 },
      'reason=Aborted by <@UALICE>: x&lt;y traffic=0',
    ],
  ])('%s', (_name, details, expected) => {
    expect(compactDetails(details)).toBe(expected);
  });

  it('renders the mention in a whole audit line', () => {
    const text = auditText('checkout-production-1', [
      {
        id: '1-0',
        at: at(0),
        actor: 'UBOB',
        action: 'stage.confirmed',
        details: { stage: 3, note: 'confirmed by <@UBOB>' },
      },
    ]);
    expect(text.split('\n')[1]).toBe(
      '`2026-11-24 18:00:00` <@UBOB> *stage.confirmed* stage=3 note=confirmed by <@UBOB>',
    );
    expect(text).not.toContain('&lt;@');
  });
});
