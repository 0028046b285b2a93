import { describe, expect, it } from 'vitest';
import type { ThreadNote, ThreadNoteKind } from '../../../src/release/notes.ts';
import { person } from '../../../src/release/person.ts';
import { threadText } from '../../../src/slack/views/release-thread.ts';

const MIN = 60_000;
/** A reason typed in a dialog: Slack must show it as text, not act on it. */
const TYPED = 'db & cache <!channel> <https://x.example|here>';
const STARTED: ThreadNote = {
  kind: 'releaseStarted',
  requester: 'UALICE',
  service: 'checkout',
  version: 'v1.2.3',
  environment: 'production',
};

/** What a person reads in the thread for every kind of note (the keys make the table complete). */
const CASES: Record<ThreadNoteKind, [ThreadNote, string][]> = {
  releaseStarted: [
    [
      {
        kind: 'releaseStarted',
        requester: 'UALICE',
        service: 'checkout',
        version: 'v1.2.3',
        environment: 'production',
      },
      '<@UALICE> started the release of *checkout v1.2.3* to production.',
    ],
    [
      {
        kind: 'releaseStarted',
        requester: 'UALICE',
        service: 'checkout',
        version: 'v1.2.4',
        environment: 'production',
        hotfixReason: 'card payments fail',
      },
      '<@UALICE> started the release of *checkout v1.2.4* to production as a hotfix: _card payments fail_.',
    ],
  ],
  preflightFailed: [
    [
      { kind: 'preflightFailed', title: 'CI is green', detail: 'exit 1' },
      ':x: Pre-flight check *CI is green* failed: exit 1',
    ],
    [
      { kind: 'preflightFailed', title: 'CI is green' },
      ':x: Pre-flight check *CI is green* failed: no detail',
    ],
    [
      { kind: 'preflightFailed', title: 'CI is green', detail: 'HTTP 503', tail: 'upstream down' },
      ':x: Pre-flight check *CI is green* failed: HTTP 503\n```upstream down```',
    ],
  ],
  preflightComplete: [[{ kind: 'preflightComplete' }, ':white_check_mark: Pre-flight complete.']],
  awaitingApproval: [
    [
      { kind: 'awaitingApproval', missing: 2, approvers: ['UBOB', 'SSRE'] },
      'Waiting for 2 more approvals from <@UBOB>, <!subteam^SSRE>.',
    ],
    [{ kind: 'awaitingApproval', missing: 1, approvers: [] }, 'Waiting for 1 more approval.'],
  ],
  approved: [
    [
      { kind: 'approved', by: 'UBOB', count: 1, required: 2 },
      ':white_check_mark: Approved by <@UBOB> (1/2).',
    ],
  ],
  rejected: [
    [
      { kind: 'rejected', by: 'UCAROL', reason: 'not during the sale' },
      ':no_entry: Rejected by <@UCAROL>: _not during the sale_. Nothing was deployed.',
    ],
    [{ kind: 'rejected', by: 'UCAROL' }, ':no_entry: Rejected by <@UCAROL>. Nothing was deployed.'],
  ],
  stageStarted: [
    [
      { kind: 'stageStarted', stage: 2, total: 7, label: 'traffic 10%, hold 30m' },
      ':arrow_forward: Stage 2/7 started: *traffic 10%, hold 30m*',
    ],
  ],
  confirmationAsked: [
    [
      { kind: 'confirmationAsked', question: 'Does checkout look right?' },
      ':raised_hand: Does checkout look right? An approver, operator or the requester confirms with Promote.',
    ],
  ],
  holdOverWaiting: [
    [
      { kind: 'holdOverWaiting', gates: ['error_rate'] },
      ':hourglass: The hold is over but error_rate is out of bounds; waiting for it to recover.',
    ],
    [
      { kind: 'holdOverWaiting', gates: ['error_rate', 'latency'] },
      ':hourglass: The hold is over but error_rate, latency are out of bounds; waiting for them to recover.',
    ],
  ],
  stageSucceeded: [
    [
      {
        kind: 'stageSucceeded',
        stage: 2,
        total: 7,
        label: 'traffic 10%, hold 30m',
        readings: [{ gate: 'error_rate', reading: '0.001 (max 0.005)' }],
      },
      ':white_check_mark: Stage 2/7 done: *traffic 10%, hold 30m* — error_rate 0.001 (max 0.005)',
    ],
    [
      {
        kind: 'stageSucceeded',
        stage: 3,
        total: 7,
        label: 'traffic 50%, hold 1h',
        end: { how: 'promoted', by: 'UBOB', skippedMs: 20 * MIN },
        readings: [],
      },
      ':white_check_mark: Stage 3/7 done: *traffic 50%, hold 1h* (promoted by <@UBOB>, 20m of hold skipped)',
    ],
    [
      {
        kind: 'stageSucceeded',
        stage: 4,
        total: 7,
        label: 'approval: Looks good?',
        end: { how: 'confirmed', by: 'UBOB' },
        readings: [],
      },
      ':white_check_mark: Stage 4/7 done: *approval: Looks good?* (confirmed by <@UBOB>)',
    ],
  ],
  released: [
    [
      { kind: 'released', service: 'checkout', version: 'v1.2.3', environment: 'production' },
      ':tada: *checkout v1.2.3* is live in production. The release handoff goes to on-call.',
    ],
    [
      {
        kind: 'released',
        service: 'checkout',
        version: 'v1.2.3',
        environment: 'staging',
        promoteTo: ['production'],
      },
      ':tada: *checkout v1.2.3* is live in staging. The release handoff goes to on-call. Next: production.',
    ],
  ],
  promotionStarted: [
    [
      {
        kind: 'promotionStarted',
        by: 'UBOB',
        environment: 'production',
        card: { channel: 'CREL', ts: '1700000000.000100' },
      },
      ':arrow_right: <@UBOB> started this version in production: <https://slack.com/archives/CREL/p1700000000000100|production card>',
    ],
  ],
  actionFailed: [
    [
      {
        kind: 'actionFailed',
        action: 'deploy',
        stage: 1,
        label: 'deploy',
        summary: 'exit 1',
        tail: 'pulling image\nerror: image not found',
      },
      ':x: deploy failed in stage 1 (deploy): exit 1\n```pulling image\nerror: image not found```',
    ],
    [
      {
        kind: 'actionFailed',
        action: 'smoke',
        stage: 7,
        label: 'smoke tests',
        summary: 'timed out after 5m',
      },
      ':x: smoke failed in stage 7 (smoke tests): timed out after 5m',
    ],
  ],
  pausedOnFailure: [
    [
      { kind: 'pausedOnFailure', reason: 'deploy failed in stage 1 (deploy): exit 1' },
      ':double_vertical_bar: Paused: deploy failed in stage 1 (deploy): exit 1. Resume to go on, or roll back.',
    ],
  ],
  paused: [
    [
      { kind: 'paused', by: 'UALICE', reason: 'checking a dashboard' },
      ':double_vertical_bar: Paused by <@UALICE>: _checking a dashboard_. Timers are stopped; gates keep watching.',
    ],
    [
      { kind: 'paused', by: 'UALICE' },
      ':double_vertical_bar: Paused by <@UALICE>. Timers are stopped; gates keep watching.',
    ],
  ],
  resumed: [[{ kind: 'resumed', by: 'UBOB' }, ':arrow_forward: Resumed by <@UBOB>.']],
  actionResumed: [
    [
      { kind: 'actionResumed', action: 'deploy', what: 'stage 1 (deploy)' },
      ':warning: The worker running *deploy* for stage 1 (deploy) stopped before it finished; running it again on another worker, with the same idempotency key so the target can tell it is a repeat.',
    ],
  ],
  aborted: [
    [
      { kind: 'aborted', by: 'UALICE', reason: 'wrong build', traffic: 10 },
      ':octagonal_sign: Aborted by <@UALICE>: _wrong build_. Nothing was rolled back; traffic stays at 10%.',
    ],
  ],
  gateBreached: [
    [
      {
        kind: 'gateBreached',
        gate: 'error_rate',
        reading: '0.05 > max 0.005',
        forMs: 5 * MIN,
        then: 'rollback',
      },
      ':warning: Gate *error_rate* out of bounds: 0.05 > max 0.005 — rolling back if it lasts 5m.',
    ],
    [
      { kind: 'gateBreached', gate: 'latency_p99', reading: '900 > max 500', forMs: 90_000, then: 'pause' },
      ':warning: Gate *latency_p99* out of bounds: 900 > max 500 — pausing if it lasts 1m30s.',
    ],
    [
      { kind: 'gateBreached', gate: 'error_rate', reading: 'no data', forMs: 0, then: 'rollback' },
      ':warning: Gate *error_rate* out of bounds: no data.',
    ],
  ],
  gateRecovered: [
    [
      { kind: 'gateRecovered', gate: 'error_rate', reading: '0.001 (max 0.005)' },
      ':large_green_circle: Gate *error_rate* back within bounds: 0.001 (max 0.005).',
    ],
  ],
  waitingForData: [
    [
      { kind: 'waitingForData', gate: 'error_rate', timeoutMs: 10 * MIN },
      ":hourglass_flowing_sand: Waiting for data from *error_rate*: the hold's clock is stopped until it reports; after 10m without data it is a breach.",
    ],
    [
      { kind: 'waitingForData', gate: 'error_rate', timeoutMs: 2 * MIN, error: 'empty result' },
      ":hourglass_flowing_sand: Waiting for data from *error_rate* (empty result): the hold's clock is stopped until it reports; after 2m without data it is a breach.",
    ],
  ],
  dataReturned: [
    [
      { kind: 'dataReturned', gate: 'error_rate', waitedMs: 3 * MIN },
      ":white_check_mark: Data from *error_rate* is back after 3m; the hold's clock runs again.",
    ],
  ],
  noDataTimedOut: [
    [
      { kind: 'noDataTimedOut', gate: 'error_rate', timeoutMs: 10 * MIN, then: 'rollback' },
      ':warning: Gate *error_rate* has had no data for 10m (no_data_timeout): that is a breach; rolling back.',
    ],
    [
      { kind: 'noDataTimedOut', gate: 'error_rate', timeoutMs: 10 * MIN, then: 'pause' },
      ':warning: Gate *error_rate* has had no data for 10m (no_data_timeout): that is a breach; pausing.',
    ],
  ],
  rollbackStarted: [
    [
      {
        kind: 'rollbackStarted',
        automatic: true,
        by: 'runway',
        toVersion: 'v1.2.2',
        reason: 'error_rate: 0.05 > max 0.005 for 5m',
      },
      ':rewind: Automatic rollback to v1.2.2: error_rate: 0.05 &gt; max 0.005 for 5m',
    ],
    [
      {
        kind: 'rollbackStarted',
        automatic: false,
        by: 'UBOB',
        toVersion: null,
        reason: `requested by ${person('UBOB')}`,
      },
      ':rewind: Rollback by <@UBOB>: requested by <@UBOB>',
    ],
  ],
  rollbackStepStarted: [
    [
      { kind: 'rollbackStepStarted', step: 'traffic', command: 'traffic' },
      ':rewind: Rollback step: traffic to 0%…',
    ],
    [
      { kind: 'rollbackStepStarted', step: 'rollback', command: './ops/rollback.sh v1.2.2' },
      ':rewind: Rollback step: `./ops/rollback.sh v1.2.2`…',
    ],
  ],
  rollbackStepDone: [
    [
      { kind: 'rollbackStepDone', step: 'verify', command: 'smoke' },
      ':white_check_mark: Rollback step done: smoke tests on the previous version',
    ],
  ],
  rollbackStepFailed: [
    [
      { kind: 'rollbackStepFailed', step: 'rollback', command: './ops/rollback.sh v1.2.2', detail: 'exit 2' },
      ':x: Rollback step failed: `./ops/rollback.sh v1.2.2` — exit 2',
    ],
    [
      {
        kind: 'rollbackStepFailed',
        step: 'rollback',
        command: './ops/rollback.sh v1.2.2',
        detail: 'exit 2',
        tail: 'rollback.sh: permission denied',
      },
      ':x: Rollback step failed: `./ops/rollback.sh v1.2.2` — exit 2\n```rollback.sh: permission denied```',
    ],
  ],
  rollbackIncomplete: [
    [
      { kind: 'rollbackIncomplete', failed: ['rollback'] },
      ':rotating_light: *Rollback incomplete* — rollback failed. A human must take over.',
    ],
  ],
  rolledBack: [
    [
      { kind: 'rolledBack', toVersion: 'v1.2.2', reason: 'latency regression' },
      ':rewind: *Rolled back* to v1.2.2. Reason: latency regression',
    ],
  ],
  dryRun: [
    [
      {
        kind: 'dryRun',
        service: 'checkout',
        version: 'v1.2.3',
        environment: 'production',
        warnings: ['A real start would be refused: outside the windows.'],
        preflight: [
          { title: 'CI is green', manual: false, command: './ci-status.sh v1.2.3' },
          { title: 'Backup done', manual: true, command: 'backup' },
        ],
        approvals: { required: 1, approvers: ['UBOB'] },
        stages: [
          { label: 'deploy', command: './deploy.sh v1.2.3', gates: [] },
          {
            label: 'traffic 10%, hold 30m',
            command: './traffic.sh 10',
            gates: [{ name: 'error_rate', max: 0.005, forMs: 5 * MIN, everyMs: 30_000 }, 'unknown_gate'],
          },
        ],
        onBreach: 'rollback',
        rollbackCommand: './rollback.sh v1.2.2',
      },
      [
        '*Dry run* of checkout v1.2.3 to production: nothing is run, locked or changed.',
        ':warning: A real start would be refused: outside the windows.',
        '• pre-flight *CI is green*: check `./ci-status.sh v1.2.3`',
        '• pre-flight *Backup done*: manual tick',
        '• 1 approval from <@UBOB>',
        '1. deploy — would run `./deploy.sh v1.2.3`',
        '2. traffic 10%, hold 30m — would run `./traffic.sh 10`; gates error_rate (max 0.005 for 5m, every 30s), unknown_gate',
        'On breach: rollback; rollback would run `./rollback.sh v1.2.2`.',
      ].join('\n'),
    ],
  ],
};

describe('release thread: what a person reads for each note', () => {
  it.each(Object.values(CASES).flat())('%j', (note, text) => {
    expect(threadText(note)).toBe(text);
  });

  it('shows a failed action’s output tail in a code block under the sentence', () => {
    const text = threadText({
      kind: 'actionFailed',
      action: 'deploy',
      stage: 1,
      label: 'deploy',
      summary: 'exit 1',
      tail: 'line 1\nline 2',
    });
    expect(text.split('\n')[0]).toBe(':x: deploy failed in stage 1 (deploy): exit 1');
    expect(text).toMatch(/\n```line 1\nline 2```$/);
  });

  it.each([
    ['rejected', { kind: 'rejected', by: 'UCAROL', reason: TYPED }],
    ['paused', { kind: 'paused', by: 'UALICE', reason: TYPED }],
    ['aborted', { kind: 'aborted', by: 'UALICE', reason: TYPED, traffic: 10 }],
    [
      'rollbackStarted',
      { kind: 'rollbackStarted', automatic: false, by: 'UBOB', toVersion: null, reason: TYPED },
    ],
    ['rolledBack', { kind: 'rolledBack', toVersion: 'v1.2.2', reason: TYPED }],
    ['releaseStarted', { ...STARTED, hotfixReason: TYPED }],
  ] as [string, ThreadNote][])('%s: a typed reason is escaped, so it cannot ping or link', (_kind, note) => {
    const text = threadText(note);
    expect(text).toContain('db &amp; cache &lt;!channel&gt; &lt;https://x.example|here&gt;');
    expect(text).not.toContain('<!channel>');
  });

  it('turns person tokens inside reasons into mentions', () => {
    expect(threadText({ kind: 'pausedOnFailure', reason: `asked by ${person('UDAVE')}` })).toContain(
      'asked by <@UDAVE>',
    );
  });
});
