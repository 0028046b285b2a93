// Issue 12: undo steps name the stage they undo; a dry run lists the walk back.
import { describe, expect, it } from 'vitest';
import { threadText } from '../../../src/slack/views/release-thread.ts';

describe('undo steps in the thread', () => {
  it('an undo step names the stage it undoes and the command', () => {
    const text = threadText({
      kind: 'rollbackStepFailed',
      step: 'undo-s1',
      command: './ops/migrate.sh down',
      undoOf: 'Database migration',
      detail: 'exit 1',
    });
    expect(text).toContain('undo Database migration: `./ops/migrate.sh down`');
    expect(text).toContain('exit 1');
  });

  it('a dry run prints the walk back in order', () => {
    const text = threadText({
      kind: 'dryRun',
      service: 'web',
      version: 'v2',
      environment: 'production',
      warnings: [],
      preflight: [],
      approvals: { required: 0, approvers: [] },
      stages: [],
      onBreach: 'rollback',
      walkBack: [
        { step: 'traffic', command: 'POST /traffic' },
        { step: 'undo-s3', command: 'launchdarkly flag ai off', undoOf: 'flag ai 10%' },
        { step: 'rollback', command: './rollback.sh', undoOf: 'deploy' },
      ],
    });
    expect(text).toContain('1. traffic to 0%');
    expect(text).toContain('2. undo flag ai 10%: `launchdarkly flag ai off`');
    expect(text).toContain('3. undo deploy: `./rollback.sh`');
  });
});
