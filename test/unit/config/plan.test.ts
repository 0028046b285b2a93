import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeApprovals, describeStages } from '../../../src/config/describe.ts';
import {
  findAction,
  loadRunbook,
  resolveEnvironment,
  toPlan,
  type ResolvedEnvironment,
} from '../../../src/config/runbook.ts';

const SECRETS = {
  DEPLOY_HOOK_SECRET: 'hook-secret-value',
  PD_ROUTING_KEY: 'pd-routing-key',
  LD_API_TOKEN: 'ld-api-token-value',
};

function resolve(
  text: string,
  env: Record<string, string> = {},
  service = 'checkout',
  environment = 'production',
) {
  const result = loadRunbook(text, env);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return { resolved: resolveEnvironment(result.runbook, service, environment), secrets: result.secrets };
}

describe('toPlan on the example runbook', () => {
  const { resolved, secrets } = resolve(readFileSync('runway.example.yml', 'utf8'), SECRETS);
  const plan = toPlan(resolved, secrets);

  it('maps every stage', () => {
    expect(plan.stages).toEqual([
      { kind: 'run', action: 'db_snapshot', holdMs: 0, gates: [], name: 'Snapshot the database' },
      {
        kind: 'run',
        action: 'migrate',
        holdMs: 0,
        gates: [],
        undo: 'migrate_down',
        name: 'Database migration',
      },
      { kind: 'deploy', action: 'deploy', gates: [] },
      {
        kind: 'traffic',
        percent: 10,
        holdMs: 30 * 60_000,
        gates: ['error_rate', 'p99_latency'],
        action: 'traffic',
      },
      {
        kind: 'traffic',
        percent: 50,
        holdMs: 60 * 60_000,
        gates: ['error_rate', 'p99_latency'],
        action: 'traffic',
      },
      { kind: 'approval', question: 'Promote to 100%?', gates: [] },
      { kind: 'traffic', percent: 100, holdMs: 0, gates: [], action: 'traffic' },
      {
        kind: 'flag',
        action: 'ai_suggestions',
        percent: 10,
        holdMs: 30 * 60_000,
        gates: ['error_rate'],
        name: 'AI suggestions for 10%',
      },
      { kind: 'smoke', action: 'smoke', gates: [] },
      { kind: 'bake', holdMs: 30 * 60_000, gates: ['error_rate'] },
    ]);
  });

  it('describes the stages in one line', () => {
    expect(describeStages(plan.stages)).toBe(
      'run db_snapshot → run migrate (undo migrate_down) → deploy → ' +
        '10% (hold 30m; gates error_rate, p99_latency) → 50% (hold 1h; gates error_rate, p99_latency) → ' +
        'approval "Promote to 100%?" → 100% → flag ai_suggestions 10% (hold 30m; gates error_rate) → ' +
        'smoke → bake 30m (gates error_rate)',
    );
  });

  it('turns gates into policies with a human source', () => {
    expect(plan.gates['error_rate']).toEqual({
      name: 'error_rate',
      max: 0.005,
      forMs: 300_000,
      everyMs: 30_000,
      noData: 'breach',
      source: 'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))',
    });
    expect(plan.gates['p99_latency']).toMatchObject({ max: 5, forMs: 600_000, everyMs: 30_000 });
    expect(plan.gates['p99_latency']).not.toHaveProperty('min');
  });

  it('carries pre-flight items, approvals and breach policy', () => {
    expect(plan.preflight).toEqual([
      { id: 'ci', title: 'All CI checks passing', manual: false, required: true },
      { id: 'backup', title: 'Database backup completed', manual: true, required: true },
    ]);
    expect(plan.approvals).toEqual({
      required: 2,
      approvers: ['S0SRETEAM'],
      operators: [],
      allowSelfApproval: false,
    });
    expect(describeApprovals(plan.approvals)).toBe('2 of S0SRETEAM (not the requester)');
    expect(plan).toMatchObject({ onBreach: 'rollback', rollbackIncident: 'sev2', verifyRollback: false });
  });

  it('summarizes every action in a line, placeholders left as written, secrets never included', () => {
    expect(plan.actions).toEqual([
      'deploy',
      'traffic',
      'smoke',
      'rollback',
      'page',
      'db_snapshot',
      'migrate',
      'migrate_down',
      'ai_suggestions',
    ]);
    expect(plan.actionSummaries).toEqual({
      deploy: './ops/deploy.sh {{version}}',
      traffic: 'POST https://deploy.example.com/traffic',
      smoke: 'GET https://api.example.com/health → 200',
      rollback: './ops/rollback.sh {{previous_version}}',
      page: 'PagerDuty Events API',
      db_snapshot: './ops/db-snapshot.sh {{release_id}}',
      migrate: './ops/migrate.sh up',
      migrate_down: './ops/migrate.sh down',
      ai_suggestions: 'launchdarkly flag ai_suggestions',
      'preflight:ci': 'GET https://ci.example.com/status/{{version}} → 200',
    });
    expect(JSON.stringify(plan)).not.toContain('hook-secret-value');
    expect(JSON.stringify(plan)).not.toContain('pd-routing-key');
    expect(JSON.stringify(plan)).not.toContain('ld-api-token-value');
  });

  it('finds actions by name, including a pre-flight check', () => {
    expect(findAction(resolved, 'deploy')).toBe(resolved.actions['deploy']);
    expect(findAction(resolved, 'preflight:ci')).toMatchObject({
      http: [{ url: 'https://ci.example.com/status/{{version}}' }],
    });
    expect(findAction(resolved, 'preflight:backup')).toBeUndefined();
    expect(findAction(resolved, 'nope')).toBeUndefined();
  });
});

describe('toPlan on other shapes', () => {
  const text = `
version: 1
services:
  checkout:
    actions:
      deploy: { github_actions: { repo: acme/checkout, workflow: deploy.yml, token: "\${GH_TOKEN}" } }
      rollback: { command: ["./rollback.sh", "--token", "\${ROLLBACK_TOKEN}"] }
      migrate: { webhook: { method: PUT, url: "https://ops.example.com/\${HOOK_PATH_SECRET}/migrate" } }
      smoke: { http: [ { url: "https://a/health" }, { url: "https://b/health", expect_status: 204 } ] }
    gates:
      queue: { http: { url: "https://stats.example.com/queue", path: depth.p95 }, min: 1, max: 100, no_data: ignore }
      custom: { command: [./metric.sh, errors], max: 3, every: 10s }
    stages: [deploy, { traffic: 25, gates: [queue] }, { run: migrate, gates: [custom] }, { run: migrate, hold: 2m }, smoke]
`;
  const env = {
    GH_TOKEN: 'ghp_secret_token',
    ROLLBACK_TOKEN: 'rollback-secret',
    HOOK_PATH_SECRET: 'path-secret-123',
  };
  const { resolved, secrets } = resolve(text, env);
  const plan = toPlan(resolved, secrets);

  it('has no traffic action for a traffic stage when none is defined', () => {
    expect(plan.stages[1]).toEqual({
      kind: 'traffic',
      percent: 25,
      holdMs: 0,
      gates: ['queue'],
      action: null,
    });
  });

  it('maps run stages with a hold defaulting to 0', () => {
    expect(plan.stages[2]).toEqual({ kind: 'run', action: 'migrate', holdMs: 0, gates: ['custom'] });
    expect(plan.stages[3]).toEqual({ kind: 'run', action: 'migrate', holdMs: 120_000, gates: [] });
    expect(describeStages(plan.stages)).toBe(
      'deploy → 25% (gates queue) → run migrate (gates custom) → run migrate (hold 2m) → smoke',
    );
  });

  it('describes http and command gate sources', () => {
    expect(plan.gates['queue']).toEqual({
      name: 'queue',
      min: 1,
      max: 100,
      forMs: 0,
      everyMs: 30_000,
      noData: 'ignore',
      source: 'https://stats.example.com/queue → depth.p95',
    });
    expect(plan.gates['custom']).toMatchObject({ everyMs: 10_000, source: './metric.sh errors' });
  });

  it('redacts secret values wherever they appear in a summary', () => {
    expect(plan.actionSummaries).toEqual({
      deploy: 'GitHub Actions acme/checkout deploy.yml',
      rollback: './rollback.sh --token [redacted]',
      migrate: 'PUT https://ops.example.com/[redacted]/migrate',
      smoke: 'GET https://a/health → 200; GET https://b/health → 204',
    });
  });

  it('defaults to one approval by anyone but the requester', () => {
    expect(describeApprovals(plan.approvals)).toBe('1 of anyone (not the requester)');
  });

  it('uses only what the resolved environment holds', () => {
    const bare: ResolvedEnvironment = {
      ...resolved,
      actions: {},
      gates: {},
      stages: ['deploy'],
      preflight: [],
    };
    expect(toPlan(bare)).toMatchObject({
      actions: [],
      actionSummaries: {},
      gates: {},
      stages: [{ kind: 'deploy' }],
    });
  });
});
