// A whole Runway engine with real workers on a test Redis, from runbook YAML: what integration tests use.
import { threadText } from '../../src/slack/views/release-thread.ts';
import { Writable } from 'node:stream';
import { loadRunbook } from '../../src/config/runbook.ts';
import { RunbookContext } from '../../src/engine/runbook-context.ts';
import type { Notification, Notifier } from '../../src/engine/notifier.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import type { Release } from '../../src/release/types.ts';
import { createRuntime, type Runtime, type WorkerTuning } from '../../src/runtime.ts';
import { uniquePrefix } from './redis.ts';

export class RecordingNotifier implements Notifier {
  readonly delivered: { note: Notification; state: Release['state'] }[] = [];
  /** Coalesced card refreshes (steady readings): the release as it was rendered, and when. */
  readonly refreshed: { release: Release; at: number }[] = [];
  async deliver(note: Notification, release: Release): Promise<void> {
    this.delivered.push({ note, state: release.state });
  }
  async refreshCard(release: Release): Promise<void> {
    this.refreshed.push({ release, at: Date.now() });
  }
  texts(releaseId?: string): string[] {
    return this.delivered
      .filter((d) => !releaseId || d.note.releaseId === releaseId)
      .flatMap((d) => (d.note.effect.type === 'postInThread' ? [threadText(d.note.effect.note)] : []));
  }
  of(type: Notification['effect']['type']): Notification[] {
    return this.delivered.filter((d) => d.note.effect.type === type).map((d) => d.note);
  }
}

export function loadTestRunbook(yaml: string, env: Record<string, string> = {}): RunbookContext {
  const loaded = loadRunbook(yaml, env);
  if (!loaded.ok) throw new Error(`test runbook is invalid:\n${loaded.problems.join('\n')}`);
  return new RunbookContext(loaded.runbook, loaded.secrets);
}

/** A logger whose lines are kept in memory (tests grep them). */
export function memoryLogger(level = 'warn'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger({ level, destination }), lines };
}

export const FAST: WorkerTuning = {
  lockDurationMs: 3000,
  stalledIntervalMs: 1000,
  sweepEveryMs: 1000,
  cancelPollMs: 100,
  actionOptions: { backoff: { baseMs: 20, capMs: 200 }, killGraceMs: 500 },
};

export async function startRunway(
  redisUrl: string,
  runbook: RunbookContext,
  options: { workers?: boolean; tuning?: WorkerTuning; prefix?: string } = {},
): Promise<{ runtime: Runtime; notifier: RecordingNotifier; lines: string[] }> {
  const notifier = new RecordingNotifier();
  const { log, lines } = memoryLogger();
  const runtime = createRuntime({
    redisUrl,
    prefix: options.prefix ?? uniquePrefix(),
    runbook: () => runbook,
    log,
    notifier,
  });
  if (options.workers !== false) await runtime.startWorkers({ ...FAST, ...options.tuning });
  return { runtime, notifier, lines };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export async function waitForState(
  runtime: Runtime,
  id: string,
  states: Release['state'][],
  timeoutMs = 20_000,
): Promise<Release> {
  return waitFor(
    `release ${id} to be ${states.join('/')}`,
    async () => {
      const r = await runtime.store.get(id);
      return r && states.includes(r.state) ? r : null;
    },
    timeoutMs,
  );
}

/** Starts a release as alice (`checkout` unless named) and gives its id; a refusal fails the test. */
export async function startedRelease(
  runtime: Runtime,
  version: string,
  service = 'checkout',
): Promise<string> {
  const started = await runtime.engine.start({ service, version, requester: 'UALICE' });
  if (!started.ok) throw new Error(started.reason);
  return started.release.id;
}
