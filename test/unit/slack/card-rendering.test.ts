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

/** A failed action's detail exactly as jobs/run-step.ts describeResult writes it. */
const detail = (summary: string, tail: string) => `${summary}\n\`\`\`${tail}\`\`\``;

const DEPLOY_FAILED = `deploy failed in stage 1 (deploy): ${detail('exit 1 in 0.1s', 'step one\nERROR: image not found')}`;
const DEPLOY_TAIL = '```step one\nERROR: image not found```';
const STEPS_DONE = '✅ traffic to 0% — HTTP 200 in 0.1s\n✅ `./ops/rollback.sh v1.2.2` — exit 0 in 1.2s';

function rolledBack(reason: string, over: Partial<NonNullable<Release['rollback']>> = {}): Release {
  const r = running(0, 'action');
  r.state = 'rolled_back';
  const steps: NonNullable<Release['rollback']>['steps'] = [
    { name: 'traffic', action: 'traffic', status: 'done', detail: 'HTTP 200 in 0.1s' },
    { name: 'rollback', action: 'rollback', status: 'done', detail: 'exit 0 in 1.2s' },
  ];
  r.rollback = { reason, by: 'runway', at: at(0), automatic: true, toVersion: 'v1.2.2', steps, ...over };
  return r;
}

describe('card: output tails are quoted once, cleanly', () => {
  const cases: { name: string; release: () => Release; block: string; expected: string }[] = [
    {
      name: 'pause reason: summary as text, tail in one code block',
      release: () => {
        const r = running(0, 'action');
        r.state = 'paused';
        r.pause = { by: 'runway', at: at(0), reason: DEPLOY_FAILED };
        return r;
      },
      block: 'card-pause',
      expected: `*Paused* by Runway\n*Why:* deploy failed in stage 1 (deploy): exit 1 in 0.1s\n${DEPLOY_TAIL}`,
    },
    {
      name: 'rollback reason',
      release: () => rolledBack(DEPLOY_FAILED),
      block: 'card-rollback',
      expected: `*Rollback* (automatic) to v1.2.2\n*Why:* deploy failed in stage 1 (deploy): exit 1 in 0.1s\n${DEPLOY_TAIL}\n${STEPS_DONE}`,
    },
    {
      name: 'outcome quoting a detail mid-sentence: the sentence closes, then the tail',
      release: () => {
        const r = newRelease();
        r.state = 'failed';
        r.outcome = `Rollback incomplete: rollback failed (${detail('exit 1 in 0.2s', 'rollback.sh: permission denied')}).`;
        return r;
      },
      block: 'card-outcome',
      expected:
        '*Outcome:* Rollback incomplete: rollback failed (exit 1 in 0.2s).\n```rollback.sh: permission denied```',
    },
    {
      name: 'outcome repeating the rollback reason: its tail is not shown a second time',
      release: () => {
        const r = rolledBack(DEPLOY_FAILED);
        r.outcome = `Rolled back to v1.2.2: ${DEPLOY_FAILED}`;
        return r;
      },
      block: 'card-outcome',
      expected: '*Outcome:* Rolled back to v1.2.2: deploy failed in stage 1 (deploy): exit 1 in 0.1s',
    },
    {
      name: 'a failed rollback step: its summary on the line, its tail under it',
      release: () => {
        const r = rolledBack('requested by <@UBOB>', {
          automatic: false,
          by: 'UBOB',
          steps: [
            {
              name: 'rollback',
              action: 'rollback',
              status: 'failed',
              detail: detail('exit 1 in 0.2s', 'rollback.sh: permission denied'),
            },
          ],
        });
        r.state = 'failed';
        return r;
      },
      block: 'card-rollback',
      expected:
        '*Rollback* (by <@UBOB>) to v1.2.2\n*Why:* requested by <@UBOB>\n❌ `./ops/rollback.sh v1.2.2` — exit 1 in 0.2s\n```rollback.sh: permission denied```',
    },
    {
      name: 'output with &, < and > is escaped once inside the code block',
      release: () =>
        rolledBack(`smoke failed in stage 6 (smoke tests): ${detail('HTTP 503', 'a < b && c > d')}`),
      block: 'card-rollback',
      expected: `*Rollback* (automatic) to v1.2.2\n*Why:* smoke failed in stage 6 (smoke tests): HTTP 503\n\`\`\`a &lt; b &amp;&amp; c &gt; d\`\`\`\n${STEPS_DONE}`,
    },
  ];

  it.each(cases)('$name', ({ release, block, expected }) => {
    const { blocks } = card(release());
    expect(textOf(blocks, block)).toBe(expected);
    const text = allText(blocks);
    expect(text).not.toContain("'''");
    expect(text.split('```').length % 2, 'balanced code fences').toBe(1);
    // The tail appears once on the whole card.
    const tail = /```([\s\S]*?)```/.exec(expected)?.[1];
    if (tail) expect(text.split(tail).length - 1).toBe(1);
  });

  it('stays within Block Kit limits with a long tail, keeping the summary and the end of the output', () => {
    const long = detail(
      'exit 1 in 3.2s',
      Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(60)}`).join('\n'),
    );
    const r = rolledBack(`deploy failed in stage 1 (deploy): ${long}`);
    r.state = 'paused';
    r.pause = { by: 'runway', at: at(0), reason: `deploy failed in stage 1 (deploy): ${long}` };
    r.outcome = `Rolled back to v1.2.2: deploy failed in stage 1 (deploy): ${long}`;
    const message = card(r);
    expect(validateMessage(message)).toEqual([]);
    for (const id of ['card-pause', 'card-rollback', 'card-outcome']) {
      const text = textOf(message.blocks, id);
      expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(text).toContain('deploy failed in stage 1 (deploy): exit 1 in 3.2s');
      expect(text).not.toContain("'''");
      expect(text.split('```').length % 2, `${id} fences`).toBe(1);
    }
    expect(textOf(message.blocks, 'card-pause')).toContain('line 399');
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
