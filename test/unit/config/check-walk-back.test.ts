// `runway check` on issue 12's bad input: an unknown undo or flag action, a percent outside 1–100,
// promote_from naming an unknown environment or itself, a cycle, soak without promote_from. Each is
// a problem printed with its path, and the check exits 1; the secret in the file is never printed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/cli/check.ts';

const dir = mkdtempSync(join(tmpdir(), 'runway-check-walk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOKEN = 'ld-token-never-printed';
/** A service with every action the stages below may name; `environments` is YAML at 6 spaces. */
const runbook = (environments: string, serviceStages = '[deploy]') => `version: 1
services:
  web:
    actions:
      deploy: { command: ["./deploy.sh", "{{version}}"] }
      rollback: { command: ["./rollback.sh", "{{previous_version}}"] }
      migrate: { command: ["./migrate.sh", "up"] }
      migrate_down: { command: ["./migrate.sh", "down"] }
      ai: { flag: { provider: launchdarkly, key: ai, project: web, environment: production, token: "${TOKEN}" } }
    stages: ${serviceStages}
    environments:
${environments}`;

const E = 'services.web.environments';
const P = `${E}.production.stages`;
const DEFINED = '(defined: deploy, rollback, migrate, migrate_down, ai)';
const prod = (stages: string) => `      production: { stages: ${stages} }\n`;

describe('runway check on undo, flag stages and promotion', () => {
  it.each<[string, string, string, string?]>([
    [
      'an unknown undo action',
      prod('[deploy, { run: migrate, undo: migrate_dwn }]'),
      `${P}.1.undo: no action named "migrate_dwn" to undo with ${DEFINED}`,
    ],
    [
      'an unknown undo on a deploy written as a mapping',
      prod('[{ deploy: true, undo: restore }]'),
      `${P}.0.undo: no action named "restore" to undo with ${DEFINED}`,
    ],
    [
      'an unknown undo in the service-wide stages',
      '      production: {}\n',
      // Written under the service, checked for the environment that inherits it.
      `services.web.stages.1.undo: no action named "nope" to undo with ${DEFINED} (in web/production)`,
      '[deploy, { traffic: 10, undo: nope }]',
    ],
    [
      'an unknown flag action',
      prod('[deploy, { flag: ai_sugestions, percent: 10 }]'),
      `${P}.1.flag: no action named "ai_sugestions" ${DEFINED}`,
    ],
    [
      'a flag stage naming an action that is not a flag',
      prod('[deploy, { flag: migrate, percent: 10 }]'),
      `${P}.1.flag: "migrate" is not a flag action (a flag stage needs { flag: { provider, key, … } })`,
    ],
    [
      'percent 0',
      prod('[deploy, { flag: ai, percent: 0 }]'),
      `${P}.1.percent: percent must be between 1 and 100`,
    ],
    [
      'percent 0.5',
      prod('[deploy, { flag: ai, percent: 0.5 }]'),
      `${P}.1.percent: percent must be between 1 and 100`,
    ],
    [
      'percent 101',
      prod('[deploy, { flag: ai, percent: 101 }]'),
      `${P}.1.percent: percent must be between 1 and 100`,
    ],
    ['no percent', prod('[deploy, { flag: ai }]'), `${P}.1.percent: missing (expected number)`],
    [
      'promote_from an unknown environment',
      '      staging: {}\n      production: { promote_from: stagign }\n',
      `${E}.production.promote_from: unknown environment "stagign"; web has staging, production`,
    ],
    [
      'promote_from itself',
      '      production: { promote_from: production }\n',
      `${E}.production.promote_from: production cannot promote from itself`,
    ],
    [
      'a cycle of promote_from',
      '      staging: { promote_from: production }\n      production: { promote_from: staging }\n',
      `${E}.staging.promote_from: a cycle of promote_from (staging ← production ← staging); no release could start in any of them`,
    ],
    [
      'soak without promote_from',
      '      staging: {}\n      production: { soak: 1h }\n',
      `${E}.production.soak: soak needs promote_from (the environment to soak in first)`,
    ],
  ])('%s', (name, environments, problem, serviceStages) => {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.yml`);
    writeFileSync(path, runbook(environments, serviceStages));
    const result = checkCommand(path, {});
    expect(result.exitCode).toBe(1);
    expect(result.output.split('\n')).toEqual([`${path}: 1 problem`, problem, '']);
    expect(result.output).not.toContain(TOKEN);
  });

  it('accepts the same runbook with a named undo, a flag stage and a promotion', () => {
    const path = join(dir, 'valid.yml');
    writeFileSync(
      path,
      runbook(
        '      staging: {}\n' +
          '      production:\n' +
          '        promote_from: staging\n' +
          '        soak: 1h\n' +
          '        stages: [{ run: migrate, undo: migrate_down, name: "Database migration" }, deploy, { flag: ai, percent: 1, hold: 10m }, { flag: ai, percent: 100 }]\n',
      ),
    );
    const result = checkCommand(path, {});
    expect(result.output).toContain(
      'run migrate (undo migrate_down) → deploy → flag ai 1% (hold 10m) → flag ai 100%',
    );
    expect(result.exitCode).toBe(0);
  });
});
