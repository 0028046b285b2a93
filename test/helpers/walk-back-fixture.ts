// The issue 12 walk-back runbook, shared by the no-crash and the SIGKILL tests: snapshot,
// migrate (undo: migrate_down), deploy, flag 10% (a LaunchDarkly fake), traffic 50% breaching a
// Prometheus-format server on 127.0.0.1. Commands and the flag service write to one ordered log.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from './fake-launchdarkly.ts';
import { startServer } from './http-server.ts';

const RECORD = resolve('test/fixtures/record-action.mjs');
const HOLD = resolve('test/fixtures/hold-action.mjs');
export const LD_TOKEN = 'ld-token-secret';

/** What the walk must have done, in order, each once. */
export const WALK = [
  'snapshot',
  'migrate',
  'deploy v1.3.0',
  'flag rollout 10',
  'flag on',
  'traffic 50',
  'traffic 0',
  'flag off',
  'rollback v1.2.2',
  'migrate_down',
];

const read = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];

export interface WalkBackFixture {
  yaml: string;
  /** The runbook written to disk, for worker processes. */
  file: string;
  /** The ordered log, idempotency keys cut off. */
  actions(): string[];
  /** With holdRollback: each start of the rollback action as [pid, line with its key]. */
  rollbackStarts(): [number, string][];
  /** With holdRollback: lets the rollback action go on. */
  releaseRollback(): void;
  /** The LaunchDarkly fake: the flag's state per environment, and the requests it saw. */
  ld: FakeLaunchDarkly;
  close(): Promise<void>;
}

export interface WalkBackOptions {
  /** The deploy's undo blocks until releaseRollback(), so a test can kill the worker there. */
  holdRollback?: boolean;
  /** The deploy's undo fails (exit 3), printing this on stderr. */
  failRollback?: string;
  /** Traffic at 50% breaches the error-rate gate (default true). */
  breach?: boolean;
  /** The 50% hold (default 1h). */
  hold50?: string;
  /** YAML put before `services:` (channels). */
  header?: string;
}

export async function walkBackFixture(opts: WalkBackOptions = {}): Promise<WalkBackFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'runway-walk-'));
  const log = join(dir, 'actions.log');
  const gate = join(dir, 'rollback.go');
  const starts = join(dir, 'rollback.starts');
  const actions = () => read(log).map((l) => l.replace(/ key=.*$/, ''));
  const ld = await startFakeLaunchDarkly({
    project: 'web',
    key: 'ai_suggestions',
    token: LD_TOKEN,
    onInstruction: (i) => {
      if (i.kind === 'updateFallthroughVariationOrRollout')
        appendFileSync(log, `flag rollout ${(i.rolloutWeights?.['v-true'] ?? 0) / 1000}\n`);
      if (i.kind === 'turnFlagOn') appendFileSync(log, 'flag on\n');
      if (i.kind === 'turnFlagOff') appendFileSync(log, 'flag off\n');
    },
  });
  // Prometheus's instant-query format; the error rate breaches once traffic is at 50%.
  const prom = await startServer((_req, res) => {
    const value = opts.breach !== false && actions().includes('traffic 50') ? '0.5' : '0.001';
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, value] }] },
      }),
    );
  });
  const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
  const rollback = opts.holdRollback
    ? `{ command: ${JSON.stringify(['node', HOLD, log, gate, 'rollback', '{{previous_version}}'])}, env: { HOLD_STARTS: "${starts}" } }`
    : opts.failRollback !== undefined
      ? `{ command: ${cmd('rollback', '{{previous_version}}')}, env: { RECORD_EXIT: "3", RECORD_STDERR: ${JSON.stringify(opts.failRollback)} } }`
      : `{ command: ${cmd('rollback', '{{previous_version}}')} }`;
  const yaml = `
version: 1
${opts.header ?? ''}
services:
  checkout:
    previous_version: v1.2.2
    environments:
      production:
        approvals: { required: 0 }
        actions:
          db_snapshot: { command: ${cmd('snapshot')} }
          migrate: { command: ${cmd('migrate')} }
          migrate_down: { command: ${cmd('migrate_down')} }
          deploy: { command: ${cmd('deploy', '{{version}}')} }
          traffic: { command: ${cmd('traffic', '{{percent}}')} }
          rollback: ${rollback}
          ai: { flag: { provider: launchdarkly, key: ai_suggestions, project: web, environment: production, token: "\${LD_TOKEN}", url: "${ld.url}" } }
        gates:
          error_rate: { prometheus: { url: "${prom.url}", query: "errors" }, max: 0.05, every: 200ms }
        stages:
          - { run: db_snapshot, name: "Snapshot the database" }
          - { run: migrate, undo: migrate_down, name: "Database migration" }
          - deploy
          - { flag: ai, percent: 10, hold: 300ms, gates: [error_rate] }
          - { traffic: 50, hold: ${opts.hold50 ?? '1h'}, gates: [error_rate] }
          - { traffic: 100 }
`;
  const file = join(dir, 'runway.yml');
  writeFileSync(file, yaml);
  return {
    yaml,
    file,
    actions,
    rollbackStarts: () =>
      read(starts).map((l) => {
        const [pid, ...rest] = l.split(' ');
        return [Number(pid), rest.join(' ')];
      }),
    releaseRollback: () => writeFileSync(gate, ''),
    ld,
    close: async () => {
      await ld.close();
      await prom.close();
    },
  };
}
