// The image runs the compiled JavaScript (`npm run build` → dist/), not the sources through tsx. Here
// the real build runs, and a release goes through a `runway worker` started from dist/: the rewritten
// imports resolve, and the Lua scripts and other files read beside the code were copied.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/redis/free-port.ts';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

function build(): void {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    encoding: 'utf8',
  });
  if (tsc.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${tsc.stdout}${tsc.stderr}`);
  const copy = spawnSync(process.execPath, ['bin/run-ts.js', 'scripts/copy-assets.ts'], { encoding: 'utf8' });
  if (copy.status !== 0) throw new Error(`copy-assets failed:\n${copy.stdout}${copy.stderr}`);
}

describe('the compiled build (dist/)', () => {
  it('builds, and a worker run from dist/ is ready and completes a release', async () => {
    build();
    expect(existsSync('dist/src/main.js')).toBe(true);
    expect(existsSync('dist/src/store/lua/includes/cap-samples.lua')).toBe(true);

    const d = mkdtempSync(join(tmpdir(), 'runway-dist-'));
    const log = join(d, 'actions.log');
    const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
    const yaml = `
version: 1
services:
  checkout:
    approvals: { required: 0 }
    actions:
      deploy: { command: ${cmd('deploy', '{{version}}')} }
      traffic: { command: ${cmd('traffic', '{{percent}}')} }
      rollback: { command: ${cmd('rollback')} }
    stages: [deploy, { traffic: 10, hold: 2s }, { traffic: 100 }]
`;
    const file = join(d, 'runway.yml');
    writeFileSync(file, yaml);
    const check = spawnSync(process.execPath, ['dist/src/main.js', 'check', file], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);

    const prefix = uniquePrefix();
    const { runtime } = await startRunway(redis.url, loadTestRunbook(yaml), { workers: false, prefix });
    cleanup.push(() => runtime.close());
    const port = await freePort();
    let output = '';
    const worker = spawn(process.execPath, ['dist/src/main.js', 'worker'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        LOG_LEVEL: 'warn',
        REDIS_URL: redis.url,
        RUNWAY_PREFIX: prefix,
        RUNWAY_CONFIG: file,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout.on('data', (c: Buffer) => (output += c.toString()));
    worker.stderr.on('data', (c: Buffer) => (output += c.toString()));
    cleanup.push(() => worker.kill('SIGKILL'));

    await waitFor(
      'the compiled worker to be ready',
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200,
      30_000,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}; worker output: ${output}`);
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
    expect(done.state, output).toBe('completed');
    const ran = readFileSync(log, 'utf8').trim().split('\n');
    expect(ran.map((l) => l.split(' key=')[0])).toEqual(['deploy v4.0.0', 'traffic 10', 'traffic 100']);
  }, 120_000);
});
