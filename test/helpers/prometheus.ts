// A real Prometheus (Debian's /usr/bin/prometheus) for tests: behind basic auth (--web.config.file
// with a bcrypt user), scraping one local target every second. Killed when the test process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { freePort } from '../../src/redis/free-port.ts';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';

export interface TestPrometheus {
  url: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startPrometheus(options: {
  username: string;
  password: string;
  /** host:port of the target to scrape at /metrics. */
  target: string;
}): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'runway-prom-'));
  // A low cost keeps the bcrypt check fast; Prometheus accepts any cost.
  const hash = bcrypt.hashSync(options.password, 4);
  writeFileSync(join(dir, 'web.yml'), `basic_auth_users:\n  ${options.username}: '${hash}'\n`);
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\n` +
      `scrape_configs:\n  - job_name: app\n    static_configs: [ { targets: ["${options.target}"] } ]\n`,
  );
  const port = await freePort();
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--web.config.file=${join(dir, 'web.yml')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const auth = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}/-/ready`, { headers: { Authorization: auth } });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`prometheus did not become ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: async () => {
      running.delete(child);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
