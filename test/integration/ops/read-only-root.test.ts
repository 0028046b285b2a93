// The Kubernetes manifests run Runway with readOnlyRootFilesystem and one writable emptyDir on /tmp.
// Here a real `runway app` (HTTP mode) and `runway worker` run in a mount namespace whose root
// filesystem is remounted read-only, with a fresh tmpfs as TMPDIR and REDIS_URL set, and a release
// goes through them from a slash command to completed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/redis/free-port.ts';
import { startWorkspaceServer } from '../../../src/sandbox/workspace/server.ts';
import { sendJson, startServer } from '../../helpers/http-server.ts';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { ReleaseStore } from '../../../src/store/release-store.ts';

const redis = useRedis();
const BOT_TOKEN = 'xoxb-readonly-test-4b1d9e';
const SIGNING_SECRET = 'readonly-signing-secret-77c2a1';

/** `sh -c` script: root read-only, a tmpfs on $RO_TMP, then exec the command (same pid). */
const READ_ONLY_ROOT =
  'mount -o remount,bind,ro / && mount -t tmpfs -o size=64m tmpfs "$RO_TMP" && exec "$@"';

function readOnlyArgs(argv: string[]): [string, string[]] {
  return ['unshare', ['--mount', '--propagation', 'private', 'sh', '-c', READ_ONLY_ROOT, 'sh', ...argv]];
}

// Needs the right to make a mount namespace (root, as on CI). Probed once: a write to the repository
// must fail with EROFS and one to the tmpfs must succeed, or the harness proves nothing.
function probe(): string | null {
  const tmp = mkdtempSync(join(tmpdir(), 'runway-ro-probe-'));
  const script = `
    const fs = require('node:fs');
    try { fs.writeFileSync(${JSON.stringify(resolve('ro-probe'))}, 'x'); console.log('root writable'); }
    catch (e) { if (e.code !== 'EROFS') throw e; }
    fs.writeFileSync(process.env.RO_TMP + '/ok', 'x'); console.log('tmp writable');`;
  const [bin, args] = readOnlyArgs([process.execPath, '-e', script]);
  const run = spawnSync(bin, args, { env: { ...process.env, RO_TMP: tmp }, encoding: 'utf8' });
  return run.status === 0 && run.stdout.trim() === 'tmp writable' ? null : `${run.stderr}${run.stdout}`;
}
const cannot = probe();

const children: { kill(): void }[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});

function runReadOnly(command: string, env: Record<string, string>): { output: () => string } {
  const tmp = mkdtempSync(join(tmpdir(), 'runway-ro-tmp-'));
  const [bin, args] = readOnlyArgs([process.execPath, resolve('bin/runway.js'), command]);
  const child = spawn(bin, args, {
    cwd: resolve('.'),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: resolve('.'),
      TMPDIR: tmp,
      RO_TMP: tmp,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  children.push({ kill: () => child.kill('SIGKILL') });
  return { output: () => out };
}

// Skipped only without the right to make a mount namespace (not root); CI runs as root.
describe.skipIf(cannot !== null)('a read-only root filesystem with a writable TMPDIR (needs root)', () => {
  it('runs the app and a worker with REDIS_URL set, and a release completes through them', async () => {
    const deploys = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
    const ws = await startWorkspaceServer({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'runway-ro-'));
      mkdirSync(join(dir, 'etc'));
      const file = join(dir, 'etc', 'runway.yml');
      const hook = (path: string) =>
        `{ webhook: { url: "${deploys.url}/${path}", body: { v: "{{version}}" } } }`;
      writeFileSync(
        file,
        `
version: 1
channels: { releases: "#releases" }
services:
  checkout:
    previous_version: v1.0.0
    approvals: { required: 0 }
    actions: { deploy: ${hook('deploy')}, traffic: ${hook('traffic')}, rollback: ${hook('rollback')} }
    stages: [deploy, { traffic: 50, hold: 1s }, { traffic: 100 }]
`,
      );
      const prefix = uniquePrefix();
      const env = {
        REDIS_URL: redis.url,
        RUNWAY_PREFIX: prefix,
        RUNWAY_CONFIG: file,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: ws.apiUrl,
      };
      // One after the other: a port is picked only once the process before holds its own, so the
      // two cannot be handed the same one (the loser would exit and the winner answer for both).
      const started = async (name: 'app' | 'worker') => {
        const port = await freePort();
        const proc = runReadOnly(name, { ...env, PORT: String(port) });
        await waitFor(
          `${name} ready`,
          async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200,
          60_000,
        ).catch((error: unknown) => {
          throw new Error(`${String(error)}\n--- ${name} output ---\n${proc.output()}`, { cause: error });
        });
        return { port, proc };
      };
      const { port: appPort, proc: app } = await started('app');
      const { proc: worker } = await started('worker');

      ws.setAppUrl(`http://127.0.0.1:${appPort}/slack/events`);
      const ack = await ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v2.0.0');
      expect(ack.status).toBe(200);
      const store = new ReleaseStore(redis.connect(), prefix);
      await waitFor(
        'the release to complete',
        async () => (await store.history('checkout'))[0]?.state === 'completed',
        60_000,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\n--- worker output ---\n${worker.output()}`, { cause: error });
      });
      expect(deploys.requests.map((r) => r.path)).toEqual(['/deploy', '/traffic', '/traffic']);
      // Nothing complained about a file it could not write.
      expect(`${app.output()}${worker.output()}`).not.toMatch(/EROFS|read-only file system/i);
    } finally {
      await ws.close();
      await deploys.close();
    }
  }, 120_000);
});
