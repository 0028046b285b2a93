// Issue 12: named stages, undo and flag stages in runway.yml, and `runway check`'s problems with them.
import { describe, expect, it } from 'vitest';
import { loadRunbook, resolveEnvironment } from '../../../src/config/runbook.ts';
import { toPlan } from '../../../src/config/plan.ts';

const runbook = (stages: string, extraActions = '') => `
version: 1
services:
  web:
    environments:
      production:
        actions:
          deploy: { command: ["./deploy.sh", "{{version}}"] }
          rollback: { command: ["./rollback.sh"] }
          migrate: { command: ["./migrate.sh", "up"] }
          migrate_down: { command: ["./migrate.sh", "down"] }
          ai: { flag: { provider: launchdarkly, key: ai_suggestions, project: web, environment: production, token: "\${LD_TOKEN}" } }
          unl: { flag: { provider: unleash, key: ai, url: "http://unleash:4242", environment: production, token: "\${LD_TOKEN}" } }
${extraActions}
        stages: ${stages}
`;
const ENV = { LD_TOKEN: 'ld-secret-1234' };
const P = 'services.web.environments.production.stages';

function problems(text: string): string[] {
  const result = loadRunbook(text, ENV);
  return result.ok ? [] : result.problems;
}

describe('named stages, undo and flag stages in the runbook', () => {
  it('loads name, undo and flag stages into the plan', () => {
    const result = loadRunbook(
      runbook(
        '[{ run: migrate, undo: migrate_down, name: "Database migration" }, { deploy: true, name: "Ship it" }, { flag: ai, percent: 10, hold: 30m }]',
      ),
      ENV,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const plan = toPlan(resolveEnvironment(result.runbook, 'web', 'production'), result.secrets);
    expect(plan.stages).toEqual([
      {
        kind: 'run',
        action: 'migrate',
        holdMs: 0,
        gates: [],
        undo: 'migrate_down',
        name: 'Database migration',
      },
      { kind: 'deploy', action: 'deploy', gates: [], name: 'Ship it' },
      { kind: 'flag', action: 'ai', percent: 10, holdMs: 30 * 60_000, gates: [] },
    ]);
    // The token is a secret: never in the plan (stored with the release, shown on cards).
    expect(JSON.stringify(plan)).not.toContain('ld-secret-1234');
  });

  it('marks an undo that names a flag action as that flag off, and only that one', () => {
    const result = loadRunbook(
      runbook(
        '[{ run: migrate, undo: ai }, { deploy: true, undo: migrate_down }, { flag: unl, percent: 5 }]',
      ),
      ENV,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const plan = toPlan(resolveEnvironment(result.runbook, 'web', 'production'), result.secrets);
    expect(plan.stages.map((s) => [s.undo, s.undoFlagOff])).toEqual([
      ['ai', true],
      ['migrate_down', undefined],
      [undefined, undefined],
    ]);
  });

  it.each([
    [
      '[deploy, { run: migrate, undo: migrate_dwn }]',
      `${P}.1.undo: no action named "migrate_dwn" to undo with`,
    ],
    ['[deploy, { flag: nope, percent: 10 }]', `${P}.1.flag: no action named "nope"`],
    ['[deploy, { flag: migrate, percent: 10 }]', `${P}.1.flag: "migrate" is not a flag action`],
    ['[deploy, { flag: ai, percent: 0 }]', `${P}.1.percent: percent must be between 1 and 100`],
    ['[deploy, { flag: ai, percent: 101 }]', `${P}.1.percent: percent must be between 1 and 100`],
  ])('%s is a problem with its path', (stages, want) => {
    const found = problems(runbook(stages));
    expect(found.some((p) => p.startsWith(want))).toBe(true);
  });
});
