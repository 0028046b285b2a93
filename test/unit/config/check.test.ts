import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/cli/check.ts';

const dir = mkdtempSync(join(tmpdir(), 'runway-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const EXAMPLE_ENV = { DEPLOY_HOOK_SECRET: 'hook-secret-value', PD_ROUTING_KEY: 'pd-routing-key' };

describe('runway check', () => {
  it('passes the annotated example when its variables are set, with a one-screen summary', () => {
    const result = checkCommand('runway.example.yml', EXAMPLE_ENV);
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('runway.example.yml is valid: 1 service, 2 environments.');
    expect(result.output).toContain(
      'stages     deploy → 10% (hold 30m; gates error_rate, p99_latency) → 50% (hold 1h; gates error_rate, p99_latency) → ' +
        'approval "Promote to 100%?" → 100% → smoke → bake 30m (gates error_rate)',
    );
    for (const line of [
      'gates      error_rate max 0.005 for 5m; p99_latency max 5 for 10m',
      'pre-flight ci, backup (manual)',
      'approvals  2 of S0SRETEAM (not the requester)',
      'windows    Tue-Thu 10:00-16:00 America/Los_Angeles',
      'on breach  rollback, declare a sev2 incident',
      'channels   releases #releases, on-call #on-call, incidents #incidents',
      'actions    deploy, traffic, smoke, rollback, page',
      'handoff: 0 9 * * 1-5 (Europe/Paris)',
      'promotion  from staging after a soak of 1h',
    ]) {
      expect(result.output).toContain(line);
    }
    // Two environments (staging, production): still one screen.
    expect(result.output.split('\n').length).toBeLessThan(40);
    expect(result.output).not.toContain('hook-secret-value');
  });

  it('fails the example without its variables, naming both', () => {
    expect(checkCommand('runway.example.yml', {})).toEqual({
      exitCode: 1,
      output: [
        'runway.example.yml: 2 problems',
        'services.checkout.environments.production.actions.traffic.webhook.secret: environment variable DEPLOY_HOOK_SECRET is not set',
        'services.checkout.environments.production.actions.page.pagerduty.routing_key: environment variable PD_ROUTING_KEY is not set',
        '',
      ].join('\n'),
    });
  });

  it('prints every problem with its path and exits 1', () => {
    const path = file(
      'broken.yml',
      `version: 1
services:
  api:
    actions: { deploy: { command: [./deploy.sh] }, rollback: { command: [./rollback.sh] } }
    gates: { errors: { prometheus: { url: u, query: q }, max: high } }
    stages: [deploy, { traffic: 10, hold: soon }]
    on_breach: explode
`,
    );
    const result = checkCommand(path, {});
    expect(result.exitCode).toBe(1);
    expect(result.output.trim().split('\n')).toEqual([
      `${path}: 4 problems`,
      'services.api.gates.errors.prometheus.url: expected an absolute URL like https://example.com/path (got "u")',
      'services.api.gates.errors.max: expected number, received string',
      'services.api.stages.1.hold: expected a duration like 500ms, 30s, 5m or 1h, got "soon"',
      'services.api.on_breach: expected one of "rollback", "pause" (got "explode")',
    ]);
  });

  it('summarizes several services and environments', () => {
    const path = file(
      'several.yml',
      `version: 1
defaults:
  actions: { deploy: { command: [./deploy.sh] }, rollback: { command: [./rollback.sh] } }
  stages: [deploy]
services:
  api:
    environments: { staging: { on_breach: pause }, production: { approvals: { required: 0 } } }
  web: {}
`,
    );
    const result = checkCommand(path, {});
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('is valid: 2 services, 3 environments.');
    expect(result.output).toMatch(/api\n {2}staging\n {4}stages {5}deploy\n/);
    expect(result.output).toContain('on breach  pause');
    expect(result.output).toContain('approvals  none required');
    expect(result.output).toContain('windows    any time');
    expect(result.output).toContain('channels   none (replies where the command was typed)');
  });

  it('says clearly when the file does not exist', () => {
    const result = checkCommand(join(dir, 'missing.yml'), {});
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe(
      `${join(dir, 'missing.yml')}: no such file. Pass the runbook's path (npx runway check path/to/runway.yml), ` +
        'set RUNWAY_CONFIG, or start from runway.example.yml\n',
    );
  });

  it('says when the path cannot be read', () => {
    const sub = join(dir, 'a-directory.yml');
    mkdirSync(sub);
    expect(checkCommand(sub, {})).toEqual({ exitCode: 1, output: `${sub}: cannot read it (EISDIR)\n` });
  });

  it('reports a YAML syntax error with its line', () => {
    const result = checkCommand(file('bad.yml', 'version: 1\nservices: [\n'), {});
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/^.*bad\.yml: 1 problem\nline \d+, column \d+: /);
  });
});
