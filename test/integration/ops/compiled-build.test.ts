// The image runs the compiled JavaScript (`npm run build` → dist/), not the sources through tsx. Here
// the real build runs, and a release goes through a `runway worker` started from dist/: the rewritten
// imports resolve, and the Lua scripts and other files read beside the code were copied.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/redis/free-port.ts';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import { recordedActions, withoutKeys } from '../../helpers/recorded-actions.ts';
import { spawnRunway } from '../../helpers/worker-process.ts';

const redis = useRedis();
const DIST_MAIN = 'dist/src/main.js';
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

describe('the compiled build (dist/)', () => {
  it('builds, and a worker run from dist/ is ready and completes a release', async () => {
    const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8' });
    expect(build.status, `npm run build:\n${build.stdout}${build.stderr}`).toBe(0);
    expect(existsSync(DIST_MAIN)).toBe(true);
    expect(existsSync('dist/src/store/lua/includes/cap-samples.lua')).toBe(true);
    // The image installs `dependencies` only (npm ci --omit=dev): nothing compiled may need a dev one.
    const imported = packagesImported('dist');
    expect(imported).toEqual(expect.arrayContaining(['@slack/bolt', 'bullmq', 'ioredis', 'zod']));
    const installed = dependencies();
    expect(imported.filter((name) => !(name in installed))).toEqual([]);

    const actions = recordedActions('dist');
    const yaml = `
version: 1
services:
  checkout:
    approvals: { required: 0 }
    actions:
      deploy: { command: ${actions.cmd('deploy', '{{version}}')} }
      traffic: { command: ${actions.cmd('traffic', '{{percent}}')} }
      rollback: { command: ${actions.cmd('rollback')} }
    stages: [deploy, { traffic: 10, hold: 2s }, { traffic: 100 }]
`;
    const file = join(actions.dir, 'runway.yml');
    writeFileSync(file, yaml);
    const check = spawnSync(process.execPath, [DIST_MAIN, 'check', file], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);

    const prefix = uniquePrefix();
    const { runtime } = await startRunway(redis.url, loadTestRunbook(yaml), { workers: false, prefix });
    cleanup.push(() => runtime.close());
    const port = await freePort();
    const worker = spawnRunway(
      'worker',
      { REDIS_URL: redis.url, RUNWAY_PREFIX: prefix, RUNWAY_CONFIG: file, PORT: String(port) },
      DIST_MAIN,
    );
    cleanup.push(() => worker.kill('SIGKILL'));

    await waitFor(
      'the compiled worker to be ready',
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200,
      30_000,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}; worker output: ${worker.output()}`);
    });
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v4.0.0',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    const done = await waitForState(
      runtime,
      started.release.id,
      ['completed', 'rolled_back', 'failed'],
      45_000,
    );
    expect(done.state, worker.output()).toBe('completed');
    expect(withoutKeys(actions.done())).toEqual(['deploy v4.0.0', 'traffic 10', 'traffic 100']);
  }, 120_000);
});

/** The npm packages the compiled files import (static and dynamic imports), by package name. */
function packagesImported(dir: string): string[] {
  const names = new Set<string>();
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('/')) continue;
      const parts = spec.split('/');
      names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return [...names].sort();
}

function dependencies(): Record<string, string> {
  return (JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> })
    .dependencies;
}
