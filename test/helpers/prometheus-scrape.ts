// A real Prometheus (Debian's /usr/bin/prometheus) on a free 127.0.0.1 port, scraping the given
// targets every second, with its storage in a temporary folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './http-server.ts';
import { waitFor } from './runway.ts';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface TestPrometheus {
  url: string;
  close(): Promise<void>;
}

export async function startPrometheus(targets: string[]): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'runway-prom-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ${JSON.stringify(targets)}\n`,
  );
  const port = await closedPort();
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('Prometheus to be ready', async () => (await fetch(`${url}/-/ready`)).ok, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}\n${stderr}`, { cause: error });
  }
  return {
    url,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
