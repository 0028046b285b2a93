// A real Prometheus (Debian's /usr/bin/prometheus) for tests, on a free 127.0.0.1 port, scraping the
// given targets every second, with its storage in a temporary folder; optionally behind basic auth
// (--web.config.file with a bcrypt user). Killed when the test process exits, should a test not stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { freePort } from '../../src/redis/free-port.ts';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface TestPrometheus {
  url: string;
  close(): Promise<void>;
}

export interface PrometheusOptions {
  /** host:port of each target to scrape at /metrics. */
  targets: string[];
  basicAuth?: { username: string; password: string };
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startPrometheus(options: PrometheusOptions): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'runway-prom-'));
  const args = [
    `--config.file=${writeConfig(dir, options.targets)}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    '--log.level=warn',
  ];
  const headers: Record<string, string> = {};
  if (options.basicAuth) {
    const { username, password } = options.basicAuth;
    // A low cost keeps the bcrypt check fast; Prometheus accepts any cost.
    const web = join(dir, 'web.yml');
    writeFileSync(web, `basic_auth_users:\n  ${username}: '${bcrypt.hashSync(password, 4)}'\n`);
    args.push(`--web.config.file=${web}`);
    headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  const port = await freePort();
  const child = spawn(PROMETHEUS_BIN, [...args, `--web.listen-address=127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    running.delete(child);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  // Not waitFor: a Prometheus that exits (a bad flag, a port taken) fails at once, with its stderr.
  for (;;) {
    const ready = await fetch(`${url}/-/ready`, { headers }).then(
      (res) => res.ok,
      () => false, // not listening yet
    );
    if (ready) return { url, close };
    const failure =
      child.exitCode !== null || child.signalCode !== null
        ? `prometheus exited (${child.exitCode ?? child.signalCode})`
        : Date.now() > deadline
          ? 'prometheus did not become ready in 30 s'
          : null;
    if (failure) {
      await close();
      throw new Error(`${failure}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function writeConfig(dir: string, targets: string[]): string {
  const file = join(dir, 'prometheus.yml');
  writeFileSync(
    file,
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\n` +
      `scrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ${JSON.stringify(targets)}\n`,
  );
  return file;
}
