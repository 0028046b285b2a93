import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '../../../src/actions/run-action.ts';
import { secrets } from '../../../src/log.ts';
import { action, context, fixture, isAlive, waitFor } from './support.ts';

const node = process.execPath;
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'runway-cmd-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('command action', () => {
  it('exit 0 is ok, with the output as tail', async () => {
    const result = await runAction(
      action({ command: [node, '-e', 'console.log("deployed {{version}}")'] }),
      context(),
    );
    expect(result).toMatchObject({ ok: true, exitCode: 0, retryable: false, tail: 'deployed v1.2.3' });
    expect(result.summary).toMatch(/^exit 0 in \d+\.\ds$/);
  });

  it('renders templates in argv', async () => {
    const result = await runAction(
      action({ command: [node, fixture('echo-argv.mjs'), '{{version}}', 'to {{environment}}'] }),
      context(),
    );
    expect(JSON.parse(result.tail ?? '')).toEqual(['v1.2.3', 'to production']);
  });

  it('a non-zero exit is not ok, not retryable, with stdout and stderr in the tail', async () => {
    const result = await runAction(
      action({
        command: [node, '-e', 'console.log("step 1"); console.error("boom: disk full"); process.exit(3)'],
      }),
      context(),
    );
    expect(result).toMatchObject({ ok: false, exitCode: 3, retryable: false });
    expect(result.summary).toMatch(/^exit 3 after \d+\.\ds$/);
    expect(result.tail).toContain('step 1');
    expect(result.tail).toContain('boom: disk full');
  });

  it('passes the idempotency key, release values and rendered env', async () => {
    const names = [
      'RUNWAY_IDEMPOTENCY_KEY',
      'RUNWAY_VERSION',
      'RUNWAY_PREVIOUS_VERSION',
      'RUNWAY_SERVICE',
      'RUNWAY_ENVIRONMENT',
      'RUNWAY_PERCENT',
      'RUNWAY_RELEASE_ID',
      'TARGET',
      'PATH',
    ];
    const result = await runAction(
      action({
        command: [node, fixture('print-env.mjs'), ...names],
        env: { TARGET: 'checkout@{{version}}' },
      }),
      context(),
    );
    const env = JSON.parse(result.tail ?? '{}') as Record<string, string | null>;
    expect(env).toMatchObject({
      RUNWAY_IDEMPOTENCY_KEY: 'rel_42:deploy:1',
      RUNWAY_VERSION: 'v1.2.3',
      RUNWAY_PREVIOUS_VERSION: 'v1.2.2',
      RUNWAY_SERVICE: 'checkout',
      RUNWAY_ENVIRONMENT: 'production',
      RUNWAY_PERCENT: '10',
      RUNWAY_RELEASE_ID: 'rel_42',
      TARGET: 'checkout@v1.2.3',
      PATH: process.env.PATH,
    });
  });

  it('leaves out release values that are not known', async () => {
    const ctx = context({ vars: { version: 'v2', service: 'checkout' } });
    const result = await runAction(
      action({ command: [node, fixture('print-env.mjs'), 'RUNWAY_PREVIOUS_VERSION', 'RUNWAY_PERCENT'] }),
      ctx,
    );
    expect(JSON.parse(result.tail ?? '')).toEqual({ RUNWAY_PREVIOUS_VERSION: null, RUNWAY_PERCENT: null });
  });

  it('passes shell syntax literally: there is no shell', async () => {
    const marker = join(tempDir(), 'pwned');
    const args = [
      `$(touch ${marker})`,
      `; rm -rf ${marker}`,
      '`id`',
      '&& echo hi',
      '|cat',
      '*',
      '"quoted"',
      "it's",
    ];
    const result = await runAction(action({ command: [node, fixture('echo-argv.mjs'), ...args] }), context());
    expect(result.ok).toBe(true);
    expect(JSON.parse(result.tail ?? '')).toEqual(args);
    expect(existsSync(marker)).toBe(false);
  });

  it('uses cwd', async () => {
    const dir = tempDir();
    const result = await runAction(
      action({ command: [node, '-e', 'console.log(process.cwd())'], cwd: dir }),
      context(),
    );
    expect(result.tail).toBe(dir);
  });

  it('on timeout kills the whole process group, grandchildren included', async () => {
    const pidFile = join(tempDir(), 'grandchild.pid');
    const started = Date.now();
    const result = await runAction(
      action({ command: [node, fixture('spawn-grandchild.mjs'), pidFile], timeout: '1s' }),
      context(),
    );
    expect(result).toMatchObject({ ok: false, retryable: false, exitCode: null });
    expect(result.summary).toBe('timed out after 1s, process group killed');
    expect(result.tail).toBe('started');
    expect(Date.now() - started).toBeLessThan(3000);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !isAlive(grandchild))).toBe(true);
  });

  it('sends SIGKILL to a group that ignores SIGTERM after the grace period', async () => {
    const pidFile = join(tempDir(), 'grandchild.pid');
    const controller = new AbortController();
    const running = runAction(
      action({ command: [node, fixture('spawn-grandchild.mjs'), pidFile, 'ignore-term'] }),
      context({ signal: controller.signal }),
      { killGraceMs: 300 },
    );
    // The ready file appears once both processes ignore SIGTERM.
    expect(await waitFor(() => existsSync(`${pidFile}.ready`), 5000)).toBe(true);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    const abortedAt = Date.now();
    controller.abort();
    const result = await running;
    expect(result.summary).toBe('cancelled');
    expect(Date.now() - abortedAt).toBeGreaterThanOrEqual(290);
    expect(await waitFor(() => !isAlive(grandchild))).toBe(true);
  });

  it('stops the whole group when the signal aborts', async () => {
    const pidFile = join(tempDir(), 'grandchild.pid');
    const controller = new AbortController();
    const running = runAction(
      action({ command: [node, fixture('spawn-grandchild.mjs'), pidFile] }),
      context({ signal: controller.signal }),
    );
    expect(await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 5000)).toBe(true);
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ ok: false, summary: 'cancelled', retryable: false });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !isAlive(grandchild))).toBe(true);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const marker = join(tempDir(), 'ran');
    const result = await runAction(
      action({ command: [node, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`] }),
      context({ signal: controller.signal }),
    );
    expect(result.summary).toBe('cancelled');
    expect(existsSync(marker)).toBe(false);
  });

  it('keeps a bounded tail of a command that prints 5 MB', async () => {
    const result = await runAction(action({ command: [node, fixture('flood.mjs'), '5'] }), context());
    expect(result.ok).toBe(true);
    const tail = result.tail ?? '';
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(4096);
    expect(tail.split('\n').length).toBeLessThanOrEqual(40);
    expect(tail.endsWith('done')).toBe(true);
    expect(tail).not.toContain('line 0 ');
  });

  it('reports a program that does not exist', async () => {
    const result = await runAction(action({ command: ['./ops/deploy.sh', '{{version}}'] }), context());
    expect(result).toMatchObject({
      ok: false,
      summary: 'command not found: ./ops/deploy.sh',
      retryable: false,
    });
  });

  it('tells a missing #! interpreter from a missing program', async () => {
    const dir = tempDir();
    const script = join(dir, 'deploy.sh');
    writeFileSync(script, '#!/nonexistent/bash\necho hi\n', { mode: 0o755 });
    const result = await runAction(action({ command: [script] }), context());
    expect(result.summary).toBe(`cannot run ${script}: the interpreter on its #! line was not found`);
  });

  it('reports a file that is not executable', async () => {
    const dir = tempDir();
    const script = join(dir, 'deploy.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const result = await runAction(action({ command: [script] }), context());
    expect(result).toMatchObject({ ok: false, summary: `permission denied: ${script} (is it executable?)` });
  });

  it('reports a missing working directory', async () => {
    const result = await runAction(
      action({ command: [node, '-e', ''], cwd: '/nonexistent/runway' }),
      context(),
    );
    expect(result).toMatchObject({ ok: false, summary: 'working directory not found: /nonexistent/runway' });
  });

  it('a placeholder without a value fails before running, not retryable', async () => {
    const result = await runAction(
      action({ command: ['./ops/rollback.sh', '{{previous_version}}'] }),
      context({ vars: { version: 'v1', service: 'checkout' } }),
    );
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.summary).toBe('cannot run: {{previous_version}} has no value for this release');
  });

  it('scrubs registered secrets from the tail', async () => {
    secrets.add('s3cr3t-deploy-token');
    const result = await runAction(
      action({ command: [node, '-e', 'console.log("token=s3cr3t-deploy-token ok")'] }),
      context(),
    );
    expect(result.tail).toBe('token=[redacted] ok');
  });
});
