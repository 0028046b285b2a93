// The demo service's pure model: a blue/green pair of versions, the share of traffic the new one
// gets, and simulated requests counted per version and status. A version whose pre-release tag
// contains "bad" (v1.3.0-bad) fails 5% of its requests; others fail 0.1%.

export interface Slot {
  version: string;
}

export interface TrafficState {
  stable: string;
  canary: string | null;
  /** Percent of requests the canary gets. */
  weight: number;
}

export interface Tick {
  at: number;
  version: string;
  requests: number;
  errors: number;
  latencySumMs: number;
  /** Latencies of a sample of the requests, for quantiles. */
  latencies: number[];
}

export const BAD_ERROR_RATE = 0.05;
export const GOOD_ERROR_RATE = 0.001;

export function isBadVersion(version: string): boolean {
  const pre = /^v?\d+\.\d+\.\d+-([^+]+)/.exec(version)?.[1] ?? '';
  return pre.toLowerCase().includes('bad');
}

export function errorRateOf(version: string): number {
  return isBadVersion(version) ? BAD_ERROR_RATE : GOOD_ERROR_RATE;
}

/** Deploy puts the new version beside the stable one with no traffic yet. */
export function deploy(state: TrafficState, version: string): TrafficState {
  if (version === state.stable) return { ...state, canary: null, weight: 0 };
  return { ...state, canary: version, weight: 0 };
}

/** Shift traffic; at 100% the canary becomes the stable version. */
export function shift(state: TrafficState, percent: number): TrafficState {
  const weight = Math.max(0, Math.min(100, percent));
  if (!state.canary) return { ...state, weight: 0 };
  if (weight === 100) return { stable: state.canary, canary: null, weight: 0 };
  return { ...state, weight };
}

/** Roll back to a version: it takes all traffic, the canary is gone. */
export function rollback(state: TrafficState, version: string | null): TrafficState {
  return { stable: version ?? state.stable, canary: null, weight: 0 };
}

/**
 * One second of simulated traffic (`rps` requests split by weight). `random` is injectable so the
 * model is testable: the expected error counts are used, rounded stochastically.
 */
export function simulate(
  state: TrafficState,
  rps: number,
  at: number,
  random: () => number = Math.random,
): Tick[] {
  const split: [string, number][] = state.canary
    ? [
        [state.stable, Math.round((rps * (100 - state.weight)) / 100)],
        [state.canary, Math.round((rps * state.weight) / 100)],
      ]
    : [[state.stable, rps]];
  return split
    .filter(([, n]) => n > 0)
    .map(([version, requests]) => {
      const expected = requests * errorRateOf(version);
      const errors = Math.floor(expected) + (random() < expected - Math.floor(expected) ? 1 : 0);
      const base = isBadVersion(version) ? 180 : 60;
      const latencies = Array.from(
        { length: Math.min(requests, 50) },
        () => base * (0.5 + random()) + (random() < 0.02 ? base * 4 : 0),
      );
      const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
      return { at, version, requests, errors, latencySumMs: mean * requests, latencies };
    });
}

export interface WindowStats {
  requests: number;
  errors: number;
  latencies: number[];
}

/** Requests and errors of the last `windowMs`, optionally for one version. */
export function windowStats(
  ticks: readonly Tick[],
  now: number,
  windowMs: number,
  version?: string,
): WindowStats {
  const inWindow = ticks.filter((t) => t.at > now - windowMs && (!version || t.version === version));
  return {
    requests: inWindow.reduce((n, t) => n + t.requests, 0),
    errors: inWindow.reduce((n, t) => n + t.errors, 0),
    latencies: inWindow.flatMap((t) => t.latencies),
  };
}

export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
}
