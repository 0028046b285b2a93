// hold-memory's sampling figures: the worker's own lateness histogram (scraped from its /metrics),
// and the bare sampler (bench/bare-sampler.ts) it runs beside the worker in the same window.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { trackChild } from './lib.ts';

const LATENESS = 'runway_gate_sample_lateness_seconds_bucket';

/** Cumulative bucket counts (le → count) of the worker's gate lateness histogram, or null without one. */
export async function scrapeLateness(port: number): Promise<Map<number, number> | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const buckets = new Map<number, number>();
    for (const m of text.matchAll(new RegExp(`^${LATENESS}\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))) {
      buckets.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
    }
    return buckets.size > 0 ? buckets : null;
  } catch {
    return null;
  }
}

/** A quantile (ms) of the samples between two scrapes, interpolated within a bucket as histogram_quantile does. */
export function histogramQuantile(
  before: Map<number, number>,
  after: Map<number, number>,
  q: number,
): { ms: number; count: number } {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total === 0) return { ms: NaN, count: 0 };
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (let i = 0; i < bounds.length; i++) {
    const upper = bounds[i]!;
    const inBucket = counts[i]! - below;
    if (counts[i]! >= rank) {
      if (!Number.isFinite(upper)) return { ms: lower * 1000, count: total };
      const within = inBucket > 0 ? (rank - below) / inBucket : 0;
      return { ms: (lower + (upper - lower) * within) * 1000, count: total };
    }
    lower = upper;
    below = counts[i]!;
  }
  return { ms: NaN, count: total };
}

/** A free TCP port on 127.0.0.1 (for the worker's PORT, so parallel runs do not collide). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export interface BareReport {
  samples: number;
  breaches: number;
  errors: number;
  lateness: number[];
}

export interface BareSampler {
  child: ChildProcess;
  /** Resolves once its client is loaded and its timers armed (tsx compiles the gate client first). */
  ready: Promise<void>;
  /** Counters so far, and the lateness of the samples since the last report. */
  report(): Promise<BareReport>;
}

/** The bare sampler as its own process, on the gates' client of this tree (undici, or axios before it). */
export function startBareSampler(
  root: string,
  url: string,
  releases: number,
  /** With a Redis of its own: each sample also reads and writes its state there (bare-sampler.ts). */
  redisUrl?: string,
  /** With redisUrl: only the schedule is kept there (a due set claimed in batches), no state. */
  scheduleOnly = false,
): BareSampler {
  const client = existsSync(join(root, 'src/metrics/gate-http.ts')) ? 'undici' : 'axios';
  const child = fork(join(root, 'bin/run-ts.js'), ['bench/bare-sampler.ts'], {
    cwd: root,
    env: {
      ...process.env,
      BARE_URL: url,
      BARE_RELEASES: String(releases),
      BARE_EVERY_MS: '1000',
      BARE_CLIENT: client,
      ...(redisUrl ? { BARE_REDIS_URL: redisUrl } : {}),
      ...(scheduleOnly ? { BARE_MODE: 'schedule' } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  trackChild(child);
  const ready = new Promise<void>((done) => {
    const onMessage = (m: unknown): void => {
      if (m !== 'ready') return;
      child.off('message', onMessage);
      done();
    };
    child.on('message', onMessage);
  });
  return {
    child,
    ready,
    report: () =>
      new Promise<BareReport>((done) => {
        child.once('message', (m) => done(m as BareReport));
        child.send('report');
      }),
  };
}
