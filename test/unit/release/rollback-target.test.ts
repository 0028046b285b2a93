import { describe, expect, it } from 'vitest';
import { rollbackTargetPicker, stagesLeftToUndo } from '../../../src/release/rollback-target.ts';
import type { Release, RollbackStep, StageRun, StageStatus } from '../../../src/release/types.ts';

type Row = Pick<Release, 'state' | 'kind' | 'version' | 'dryRun'> & { ran: boolean };

function release(row: Row, i: number): Release {
  const stage = (status: StageStatus, startedAt?: string) =>
    ({ status, attempt: 1, holdSeq: 0, ...(startedAt ? { startedAt } : {}) }) as StageRun;
  return {
    id: `r${i}`,
    kind: row.kind,
    state: row.state,
    version: row.version,
    dryRun: row.dryRun,
    // A finished release marks the stages it never reached skipped: only startedAt says one ran.
    // A rollback release has no stages, only the steps of its walk back.
    ...(row.kind === 'rollback'
      ? {
          stages: [],
          rollback: {
            steps: [
              { name: 'traffic', action: 'traffic', status: row.ran ? 'done' : 'waiting' },
              { name: 'rollback', action: 'rollback', status: row.ran ? 'done' : 'waiting' },
            ],
          },
        }
      : { stages: [row.ran ? stage('done', '2026-11-23T10:00:00Z') : stage('skipped'), stage('skipped')] }),
  } as Release;
}

const row = (state: Release['state'], version: string, extra: Partial<Row> = {}): Row => ({
  state,
  version,
  kind: 'release',
  dryRun: false,
  ran: true,
  ...extra,
});

/** History newest first → the id the picker takes (null: none). */
function pick(history: Row[]): string | null {
  const picker = rollbackTargetPicker();
  return history.map(release).find((r) => picker(r))?.id ?? null;
}

describe('which finished release /release rollback means', () => {
  it.each<[string, Row[], string | null]>([
    ['the newest completed one', [row('completed', 'v3'), row('completed', 'v2')], 'r0'],
    ['not a dry run', [row('completed', 'v9', { dryRun: true }), row('completed', 'v2')], 'r1'],
    ['only a dry run: none', [row('completed', 'v9', { dryRun: true })], null],
    ['an aborted one that deployed', [row('aborted', 'v3'), row('completed', 'v2')], 'r0'],
    [
      'not one aborted before any stage ran',
      [row('aborted', 'v3', { ran: false }), row('completed', 'v2')],
      'r1',
    ],
    ['not a rejected one', [row('rejected', 'v3', { ran: false }), row('completed', 'v2')], 'r1'],
    [
      'a failed (incomplete) rollback can be tried again',
      [row('failed', 'v3'), row('completed', 'v2')],
      'r0',
    ],
    ['not one rolled back already: the one before', [row('rolled_back', 'v3'), row('completed', 'v2')], 'r1'],
    [
      'a version reverted by a later rollback release is skipped',
      [row('rolled_back', 'v3', { kind: 'rollback' }), row('completed', 'v3'), row('completed', 'v2')],
      'r2',
    ],
    [
      'a version reverted by a rollback release whose walk failed part-way is skipped too',
      [row('failed', 'v3', { kind: 'rollback' }), row('completed', 'v3'), row('completed', 'v2')],
      'r2',
    ],
    [
      'a rollback release that ran no step reverted nothing',
      [row('failed', 'v3', { kind: 'rollback', ran: false }), row('completed', 'v3')],
      'r1',
    ],
    ['nothing finished: none', [], null],
  ])('%s', (_name, history, expected) => {
    expect(pick(history)).toBe(expected);
  });
});

describe('stagesLeftToUndo: a second walk back over a release whose walk stopped', () => {
  const started = (n: number) =>
    Array.from({ length: n }, () => ({ status: 'done', attempt: 1, holdSeq: 0, startedAt: 'x' }) as StageRun);
  const walked = (steps: readonly (readonly [string, number | undefined, RollbackStep['status']])[]) =>
    ({
      stages: [...started(4), { status: 'skipped', attempt: 0, holdSeq: 0 } as StageRun],
      rollback: {
        steps: steps.map(([name, stage, status]) => ({
          name,
          action: name,
          status,
          ...(stage !== undefined ? { stage } : {}),
        })),
      },
    }) as unknown as Release;

  it.each([
    ['no walk yet: every started stage', [], [0, 1, 2, 3]],
    [
      'the flag off and the rollback done, migrate_down failed: only the migration is left',
      [
        ['traffic', undefined, 'done'],
        ['undo-s3', 3, 'done'],
        ['rollback', 2, 'done'],
        ['undo-s1', 1, 'failed'],
      ],
      [0, 1],
    ],
    [
      'the rollback failed and migrate_down was skipped: both are left',
      [
        ['traffic', undefined, 'done'],
        ['undo-s3', 3, 'done'],
        ['rollback', 2, 'failed'],
        ['undo-s1', 1, 'skipped'],
      ],
      [0, 1, 2],
    ],
  ] as const)('%s', (_name, steps, left) => {
    expect(stagesLeftToUndo(walked(steps))).toEqual(left);
  });
});
