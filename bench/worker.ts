// A worker process like `runway worker`, but with WorkerTuning taken from BENCH_TUNING (JSON), for
// hold-memory's diagnostic runs (--timer-concurrency, --notify-concurrency, --skip-notify 1): does a
// bigger pool help, or is the process out of CPU, and what do notifications cost? The plain
// benchmark runs bin/runway.js itself.
//
//   BENCH_TUNING='{"timerConcurrency":200}' REDIS_URL=… RUNWAY_PREFIX=… RUNWAY_CONFIG=… node bin/run-ts.js bench/worker.ts
import { readFileSync } from 'node:fs';
import { loadEnv } from '../src/config/env.ts';
import { loadRunbook } from '../src/config/runbook.ts';
import { RunbookContext } from '../src/engine/runbook-context.ts';
import { createLogger } from '../src/log.ts';
import { QUEUE } from '../src/queue/queues.ts';
import { createRuntime, type WorkerTuning } from '../src/runtime.ts';

const env = loadEnv(process.env);
if (!env.redisUrl) throw new Error('bench/worker.ts needs REDIS_URL');
const log = createLogger({ level: env.logLevel });
const loaded = loadRunbook(readFileSync(env.configPath, 'utf8'), process.env);
if (!loaded.ok) throw new Error(`runbook: ${loaded.problems.join('; ')}`);
const runbook = new RunbookContext(loaded.runbook, loaded.secrets);
const tuning = JSON.parse(process.env.BENCH_TUNING ?? '{}') as WorkerTuning;

const runtime = createRuntime({ redisUrl: env.redisUrl, prefix: env.prefix, runbook: () => runbook, log });
const workers = await runtime.startWorkers(tuning);
// Diagnostic: what the worker costs without delivering notifications (they pile up in Redis).
if (process.env.BENCH_SKIP_NOTIFY === '1') await workers.find((w) => w.name === QUEUE.notify)?.close();
log.info({ tuning }, 'bench worker is running');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await runtime.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
