// The bundled demo runbook (issue 18 item 9): it passes `runway check`, runs a database migration
// before the deploy and a flag stage after it, and its rollback walks back each of them, one step
// each on the card and in the thread: traffic 0, flag off, rollback, migration undone, then smoke.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/cli/check.ts';
import { toPlan } from '../../../src/config/plan.ts';
import { loadRunbook, resolveEnvironment } from '../../../src/config/runbook.ts';
import { decide, stageLabel } from '../../../src/release/machine.ts';
import type { ThreadNote } from '../../../src/release/notes.ts';
import type { Effect, Release, ReleasePlan } from '../../../src/release/types.ts';
import { demoRunbookText } from '../../../src/sandbox/demo-runbook.ts';
import { releaseCard } from '../../../src/slack/views/release-card.ts';
import { threadText } from '../../../src/slack/views/release-thread.ts';
import type { JsonObject } from '../../../src/sandbox/workspace/types.ts';
import { blocksText } from '../../helpers/message-text.ts';
import { at, MIN, NOW, running } from '../views/fixture.ts';

const DEMO = { url: 'http://127.0.0.1:4999', flagToken: 'api-demo-0123456789abcdef' };

function demoPlan(): ReleasePlan {
  const loaded = loadRunbook(demoRunbookText(DEMO), {});
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return toPlan(resolveEnvironment(loaded.runbook, 'shop', 'production'), loaded.secrets);
}

describe('the bundled demo runbook', () => {
  it('passes runway check, and the summary never shows the flag token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runway-demo-'));
    const file = join(dir, 'runway.yml');
    writeFileSync(file, demoRunbookText(DEMO));
    const result = checkCommand(file, {});
    expect(result.output).not.toMatch(/problem/);
    expect(result.exitCode).toBe(0);
    expect(result.output).not.toContain(DEMO.flagToken);
  });

  it('migrates the database before the deploy and turns the new-checkout flag on after it', () => {
    const plan = demoPlan();
    expect(plan.stages.map(stageLabel)).toEqual([
      'Database migration',
      'deploy',
      'flag new_checkout 50%',
      'traffic 10%, hold 20s',
      'traffic 50%, hold 20s',
      'traffic 100%',
      'smoke tests',
      'bake 10s',
    ]);
    expect(plan.stages[0]).toMatchObject({ kind: 'run', action: 'migrate', undo: 'migrate_down' });
    expect(plan.stages[2]).toMatchObject({ kind: 'flag', action: 'new_checkout', percent: 50 });
    // The flag action is the real LaunchDarkly provider, pointed at the demo service.
    expect(plan.actionSummaries.new_checkout).toBe('launchdarkly flag new-checkout');
  });
});

/** The pure machine through a rollback at the 10% stage: each step started and finished in turn. */
function walkBack(): {
  release: Release;
  notes: ThreadNote[];
  actions: Extract<Effect, { type: 'runAction' }>[];
} {
  const started = running(3, 'hold', demoPlan());
  // Stages 1–4 started (the migration, the deploy, the flag, the 10% stage that breached).
  started.stages = started.stages.map((s, i) => (i <= 3 ? { ...s, startedAt: at(-(5 - i) * MIN) } : s));
  const notes: ThreadNote[] = [];
  const actions: Extract<Effect, { type: 'runAction' }>[] = [];
  const take = (effects: Effect[]) => {
    for (const e of effects) {
      if (e.type === 'postInThread') notes.push(e.note);
      if (e.type === 'runAction') actions.push(e);
    }
  };
  let result = decide(
    started,
    { type: 'rollbackRequested', actor: { user: 'UALICE' }, reason: 'error rate' },
    NOW,
  );
  for (let guard = 0; guard < 10 && !result.refused && result.release.state === 'rolling_back'; guard++) {
    take(result.effects);
    const step = result.release.rollback?.steps.find((s) => s.status === 'running');
    if (!step) break;
    result = decide(result.release, { type: 'rollbackStepFinished', step: step.name, ok: true }, NOW);
  }
  if (result.refused) throw new Error(result.reason);
  take(result.effects);
  return { release: result.release, notes, actions };
}

describe('the demo runbook rolled back at 10%', () => {
  it('runs traffic 0, the flag off, the rollback, the migration undo, then smoke, once each', () => {
    const { release, actions } = walkBack();
    expect(release.state).toBe('rolled_back');
    expect(actions.map((a) => [a.action, a.vars])).toEqual([
      ['traffic', { percent: 0 }],
      ['new_checkout', { flag: 'off' }],
      ['rollback', {}],
      ['migrate_down', {}],
      ['smoke', { version: 'v1.2.2' }],
    ]);
  });

  it('says each step in the thread, in that order', () => {
    const done = walkBack()
      .notes.filter((n) => n.kind === 'rollbackStepDone')
      .map(threadText);
    expect(done).toEqual([
      ':white_check_mark: Rollback step done: traffic to 0%',
      ':white_check_mark: Rollback step done: undo flag new_checkout 50%: `launchdarkly flag new-checkout off`',
      `:white_check_mark: Rollback step done: undo deploy: \`POST ${DEMO.url}/rollback\``,
      `:white_check_mark: Rollback step done: undo Database migration: \`POST ${DEMO.url}/migrate/down\``,
      ':white_check_mark: Rollback step done: smoke tests on the previous version',
    ]);
  });

  it('lists each step on the card, one line each, in that order', () => {
    const { release } = walkBack();
    const card = blocksText(releaseCard(release, { now: NOW }).blocks as unknown as JsonObject[]);
    const rollback = card.slice(card.indexOf('*Rollback*'));
    const lines = rollback.split('\n').filter((l) => / — (done|failed|skipped)/.test(l));
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual([
      'traffic to 0% — done',
      'undo flag new_checkout 50%: `launchdarkly flag new-checkout off` — done',
      `undo deploy: \`POST ${DEMO.url}/rollback\` — done`,
      `undo Database migration: \`POST ${DEMO.url}/migrate/down\` — done`,
      'smoke tests on the previous version — done',
    ]);
  });
});
