#!/usr/bin/env node
// The `runway` command: start | app | worker | check | import | schema | sandbox | audit export.
import { readFileSync } from 'node:fs';
import { loadEnv, EnvError, type RunwayEnv } from './config/env.ts';
import { loadRunbook } from './config/runbook.ts';
import { checkCommand } from './cli/check.ts';
import { auditExport, parseExportArgs } from './cli/audit-export.ts';
import { createLogger, secrets, type Logger } from './log.ts';
import { ensureRedis, maskUrl } from './redis/find-redis.ts';
import { redisReady } from './redis/connection.ts';
import { slackClient } from './slack/services.ts';
import type { SlackAppHandle } from './slack/app.ts';
import { createHttpApp, type HttpOptions, type Readiness } from './http/server.ts';
import { listenOn } from './http/listen.ts';
import { exitText } from './exit-text.ts';
import { createMetrics } from './observability/metrics.ts';
import { createRedis } from './redis/connection.ts';
import { RunbookContext } from './engine/runbook-context.ts';
import { createRuntime, type Runtime } from './runtime.ts';
import { startHandoffScheduler } from './handoff/scheduler.ts';

const USAGE = `usage: runway <command>

  start                 the bot: Slack app and worker in one process (the sandbox without Slack credentials)
  app                   only the Slack-facing app
  worker                only a worker (any number may share one Redis)
  check [file]          validate a runbook file (default: RUNWAY_CONFIG or ./runway.yml)
  import <runbook.md> [-o runway.yml] [--force]   a draft runbook from a markdown release runbook
  schema                the runbook file's JSON Schema, for editors
  sandbox               the local sandbox
  audit export [--since ISO|24h]   the audit log as JSON lines
`;

/** How long running steps get to finish on SIGTERM before they are handed back to the queue. */
const SHUTDOWN_GRACE_MS = 20_000;
const SHUTDOWN_HARD_LIMIT_MS = 28_000;
/** runtime.close() waits out the grace period and the steps' hand-back, then disconnects anyway. */
const SHUTDOWN_CLOSE_WAIT_MS = 25_000;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'check') {
    // Validating a file needs no Slack or Redis settings, only where the file is.
    const path = rest[0] ?? loadEnv({ RUNWAY_CONFIG: process.env.RUNWAY_CONFIG }).configPath;
    const result = checkCommand(path, process.env);
    await writeOut(process.stdout, result.output);
    return result.exitCode;
  }
  // Neither reads the environment: both work on a laptop with nothing set. Loaded only when asked
  // for, so the markdown parser never slows a worker's start.
  if (command === 'import') {
    const { importCommand } = await import('./cli/import.ts');
    const result = importCommand(rest);
    await writeOut(process.stdout, result.stdout);
    await writeOut(process.stderr, result.stderr);
    return result.exitCode;
  }
  if (command === 'schema') {
    const { schemaCommand } = await import('./cli/schema.ts');
    const result = schemaCommand();
    await writeOut(process.stdout, result.output);
    return result.exitCode;
  }
  let env: RunwayEnv;
  try {
    env = loadEnv(process.env, { workerOnly: command === 'worker' });
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  secrets.add(...env.secrets);

  switch (command) {
    case 'audit':
      return auditCommand(env, rest);
    case 'worker':
      return serve(env, { workers: true, app: false });
    case 'start':
      return serve(env, { workers: true, app: true });
    case 'app':
      return serve(env, { workers: false, app: true });
    case 'sandbox':
      return serve({ ...env, mode: 'sandbox' }, { workers: true, app: true });
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`runway: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

async function auditCommand(env: RunwayEnv, args: string[]): Promise<number> {
  const parsed = parseExportArgs(args);
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\n`);
    return 1;
  }
  const { since } = parsed;
  const log = createLogger({ level: 'warn', destination: process.stderr as never });
  const handle = await ensureRedis({ ...(env.redisUrl ? { redisUrl: env.redisUrl } : {}), log });
  const redis = createRedis(handle.url);
  try {
    await auditExport({ redis, prefix: env.prefix, ...(since ? { since } : {}), out: process.stdout });
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    redis.disconnect();
    await handle.stop(); // a private redis-server started for the export goes with it
  }
}

/** Loads the runbook or exits with every problem and its path: a malformed runbook never starts the bot. */
function loadRunbookOrExit(path: string, log: Logger): RunbookContext {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    process.stderr.write(
      `Cannot read the runbook ${path}. Set RUNWAY_CONFIG or create it (see runway.example.yml).\n`,
    );
    process.exit(1);
  }
  const loaded = loadRunbook(text, process.env);
  if (!loaded.ok) {
    process.stderr.write(
      `The runbook ${path} has ${loaded.problems.length} problem(s):\n${loaded.problems.map((p) => `  ${p}`).join('\n')}\n`,
    );
    process.exit(1);
  }
  secrets.add(...loaded.secrets);
  log.info({ runbook: path, services: Object.keys(loaded.runbook.services) }, 'runbook loaded');
  return new RunbookContext(loaded.runbook, loaded.secrets);
}

async function serve(env: RunwayEnv, roles: { workers: boolean; app: boolean }): Promise<number> {
  const log = createLogger({ level: env.logLevel });
  if (env.mode === 'sandbox' && roles.app) return sandbox(env, log);
  if (!env.slack.botToken)
    log.warn('no SLACK_BOT_TOKEN: this worker writes what it would post in Slack to the log');
  const runbook = loadRunbookOrExit(env.configPath, log);
  const redis = await ensureRedis({ ...(env.redisUrl ? { redisUrl: env.redisUrl } : {}), log });
  redis.keepRunning?.();
  const client = env.slack.botToken ? slackClient(env.slack.botToken, env.slack.apiUrl) : null;
  const metrics = createMetrics();
  const runtime: Runtime = createRuntime({
    redisUrl: redis.url,
    prefix: env.prefix,
    runbook: () => runbook,
    log,
    metrics,
    ...(client
      ? { slack: { client, delivery: { pace: { updatesPerMinute: env.slackUpdatesPerMinute } } } }
      : {}),
  });
  if (roles.workers) await runtime.startWorkers();
  let slack: SlackAppHandle | null = null;
  let stopHttp: () => Promise<void> = async () => {};
  const httpOptions: HttpOptions = {
    readiness: readiness(runtime),
    metrics: metrics.registry,
    admin: { ...(env.adminToken ? { token: env.adminToken } : {}), queues: runtime.queues.all() },
  };
  if (roles.app && env.slack.botToken && env.mode !== 'sandbox') {
    // Loaded only where it runs: Bolt and its receivers add ~40 MB to a worker that never uses them.
    const { startSlackApp } = await import('./slack/app.ts');
    slack = await startSlackApp(
      {
        mode: env.mode,
        botToken: env.slack.botToken,
        ...(env.slack.appToken ? { appToken: env.slack.appToken } : {}),
        ...(env.slack.signingSecret ? { signingSecret: env.slack.signingSecret } : {}),
        apiUrl: env.slack.apiUrl,
        port: env.port,
      },
      { register: runtime.registerListeners, log, http: httpOptions, audit: (e) => runtime.audit.append(e) },
    );
  } else {
    // Workers (and an app without Slack) still answer health, readiness and metrics on PORT; a PORT
    // another runway holds is a PortError, said in one line (below).
    const server = await listenOn(createHttpApp(httpOptions), env.port);
    stopHttp = () => new Promise<void>((resolve) => server.close(() => resolve()));
  }
  // Every app process schedules shift handoffs; one job per slot means one post however many run.
  const handoffs = slack
    ? startHandoffScheduler({ runbook: () => runbook, queue: runtime.queues.handoff, log })
    : null;
  log.info({ roles, mode: env.mode, redis: maskUrl(redis.url) }, 'runway is running');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new jobs; running steps get a grace period');
    const force = setTimeout(() => runtime.cancelRunning('shutdown'), SHUTDOWN_GRACE_MS);
    // Closing waits on Redis; with Redis gone it could wait for ever. Running steps were handed back
    // (or will be, as stalled jobs): leave within the 30 s a platform's SIGTERM allows.
    setTimeout(() => {
      log.error('shutdown did not finish in 28 s (is Redis reachable?); exiting anyway');
      process.exit(1);
    }, SHUTDOWN_HARD_LIMIT_MS).unref();
    await handoffs?.stop();
    await slack?.stop();
    await stopHttp();
    await runtime.close({ waitMs: SHUTDOWN_CLOSE_WAIT_MS });
    clearTimeout(force);
    await redis.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return new Promise<number>(() => {});
}

async function sandbox(env: RunwayEnv, log: Logger): Promise<number> {
  const { runSandbox } = await import('./sandbox/run-sandbox.ts');
  const box = await runSandbox({
    port: env.port,
    ...(env.redisUrl ? { redisUrl: env.redisUrl } : {}),
    ...(env.configPathIsDefault ? {} : { runbookPath: env.configPath }),
    prefix: env.prefix,
    log,
    env: process.env,
    slackLimits: env.sandboxSlackLimits,
    updatesPerMinute: env.slackUpdatesPerMinute,
    ...(env.adminToken ? { adminToken: env.adminToken } : {}),
  });
  process.stdout.write(
    `\nRunway sandbox: ${box.url}\n  a Slack-like workspace with #releases, #on-call and #incidents; alice requests, bob and carol approve.\n  Try /release start shop v1.3.0 — and v1.3.1-bad for a canary breach. Ctrl-C stops everything.\n\n`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await box.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return new Promise<number>(() => {});
}

/** Ready when Redis answers (the runbook is loaded before anything listens). */
function readiness(runtime: Runtime): Readiness {
  return {
    check: async () => ((await redisReady(runtime.redis)) ? null : 'Redis is not answering'),
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${exitText(error)}\n`);
    process.exit(1);
  },
);

/** Resolves once the text is handed to the OS: exiting earlier cuts a long output on a pipe. */
function writeOut(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
}
