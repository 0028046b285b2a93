// A real Unleash server for tests: npm `unleash-server` 6.x, installed on first use into a cache folder
// outside the repository (not a devDependency, so `npm install` stays fast), run as a child process
// with its own entry point on a free port, on a PostgreSQL from ./postgres.ts. Configured through
// Unleash's documented environment variables, the admin API token via INIT_ADMIN_API_TOKENS.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/redis/free-port.ts';
import { startPostgres, type TestPostgres } from './postgres.ts';

export const UNLEASH_VERSION = '6.10.1';

export function unleashCacheDir(): string {
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'runway-test', 'unleash-server');
}

/** Installs unleash-server into the cache folder unless that exact version is already there. */
export async function ensureUnleashInstalled(): Promise<string> {
  const prefix = unleashCacheDir();
  const pkg = join(prefix, 'node_modules', 'unleash-server', 'package.json');
  // The marker is written after npm finished, so a killed install is not taken for a good one.
  const marker = join(prefix, '.runway-installed');
  const installed =
    existsSync(pkg) &&
    existsSync(marker) &&
    readFileSync(marker, 'utf8').trim() === UNLEASH_VERSION &&
    (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version === UNLEASH_VERSION;
  if (!installed) {
    mkdirSync(prefix, { recursive: true });
    await promisify(execFile)(
      'npm',
      ['install', '--prefix', prefix, '--no-audit', '--no-fund', `unleash-server@${UNLEASH_VERSION}`],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    writeFileSync(marker, `${UNLEASH_VERSION}\n`);
  }
  return join(prefix, 'node_modules', 'unleash-server');
}

export interface TestUnleash {
  url: string;
  /** Everything Unleash printed, for assertions and for diagnosing a failed start. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
const killAll = (): void => {
  for (const child of running) child.kill('SIGKILL');
};
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

/** Starts PostgreSQL and Unleash; resolves once Unleash's health endpoint answers. */
export async function startUnleash(adminToken: string): Promise<TestUnleash> {
  const root = await ensureUnleashInstalled();
  const pg: TestPostgres = await startPostgres();
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist', 'server.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      UNLEASH_URL: `http://127.0.0.1:${port}`,
      DATABASE_HOST: pg.host,
      DATABASE_PORT: String(pg.port),
      DATABASE_USERNAME: pg.user,
      DATABASE_PASSWORD: 'unused-trust-auth',
      DATABASE_NAME: pg.database,
      DATABASE_SSL: 'false',
      INIT_ADMIN_API_TOKENS: adminToken,
      LOG_LEVEL: 'warn',
      // No calls to the internet from a test.
      CHECK_VERSION: 'false',
      SEND_TELEMETRY: 'false',
      GRACEFUL_SHUTDOWN_ENABLE: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const keep = (chunk: Buffer) => (out = (out + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    running.delete(child);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await pg.stop();
  };
  // Migrations on an empty database take a while on a busy machine.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      await pg.stop();
      throw new Error(`unleash exited (${child.exitCode}): ${out}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`unleash did not become healthy: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { url, output: () => out, stop };
}
