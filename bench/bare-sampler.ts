// The bare sampler hold-memory runs beside Runway's worker: N timers in one process, each doing
// what a gate sample must do at the least (GET the instant query, parse the JSON, compare with the
// threshold) and arming its next one `every` after it finished, as Runway does. Same HTTP client as
// Runway's gates (undici's pool from src/metrics/gate-http.ts; axios on a tree that predates it),
// so the CPU per sample of the two compares the design, not the client.
//
//   BARE_URL=http://127.0.0.1:port BARE_RELEASES=1000 BARE_EVERY_MS=1000 BARE_CLIENT=undici \
//     node bin/run-ts.js bench/bare-sampler.ts     (forked by hold-memory with an IPC channel)
//
// With BARE_REDIS_URL (hold-memory --bare-persist 1, a redis-server of its own), each sample also
// does the least a sampler that keeps every reading in Redis must: read its state (GET, JSON.parse),
// and after the GET write the new state and arm its next sample in one script (SET + ZADD), through
// ioredis with auto-pipelining like Runway's store. That is the floor under Runway's per-sample cost.
//
// With BARE_MODE=schedule as well (hold-memory --bare-persist 2), only its schedule lives in that
// Redis: due members claimed in batches and re-armed, no state (bench/bare-due-set.ts).
//
// Says "ready" once its client is loaded and its timers armed. On a "report" message it answers { samples, breaches, errors, lateness: ms[] since the last report }.

const url = process.env.BARE_URL ?? '';
const releases = Number(process.env.BARE_RELEASES ?? '0');
const everyMs = Number(process.env.BARE_EVERY_MS ?? '1000');
const MAX = 0.05;

type Get = (target: string) => Promise<string>;

async function client(): Promise<Get> {
  if (process.env.BARE_CLIENT === 'undici') {
    const { request } = await import('undici');
    const { gateDispatcher } = await import('../src/metrics/gate-http.ts');
    return async (target) => {
      const res = await request(target, {
        headers: { Accept: 'application/json' },
        dispatcher: gateDispatcher(),
        signal: AbortSignal.timeout(10_000),
      });
      return res.body.text();
    };
  }
  const { default: axios } = await import('axios');
  return async (target) => {
    const res = await axios.get<string>(target, {
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      timeout: 10_000,
    });
    return res.data;
  };
}

let samples = 0;
let breaches = 0;
let errors = 0;
let lateness: number[] = [];

/** A release's state as Runway stores it in a hold (~800 bytes of JSON). */
const STATE = JSON.stringify({
  id: 'svc0001-production-mx5kk744-9bc8',
  rev: 21,
  epoch: 3,
  kind: 'release',
  service: 'svc0001',
  environment: 'production',
  version: 'v2.0.0',
  previousVersion: null,
  requester: 'U1',
  dryRun: false,
  createdAt: '2026-12-02T03:31:32.740Z',
  updatedAt: '2026-12-02T03:31:51.246Z',
  state: 'running',
  preflight: [],
  approvals: [],
  stageIndex: 1,
  stages: [
    {
      status: 'done',
      attempt: 1,
      holdSeq: 0,
      startedAt: '2026-12-02T03:31:32.740Z',
      detail: { summary: '1 check passed in 0.0s' },
      holdElapsed: true,
      endedAt: '2026-12-02T03:31:32.780Z',
    },
    {
      status: 'running',
      attempt: 0,
      holdSeq: 1,
      startedAt: '2026-12-02T03:31:32.780Z',
      phase: 'hold',
      holdEndsAt: '2026-12-02T03:41:32.780Z',
    },
  ],
  traffic: 10,
  gates: {
    error_rate: { value: 0.001, verdict: 'ok', at: '2026-12-02T03:31:51.246Z', samples: 19, seq: 20 },
  },
});

interface BareState {
  gates: { error_rate: { value: number; samples: number; seq: number } };
}

interface Store {
  read(i: number): Promise<BareState>;
  write(i: number, state: unknown, dueMs: number): Promise<void>;
}

/** BARE_REDIS_URL with BARE_MODE=schedule: only the schedule lives in Redis (bare-due-set.ts). */
const scheduleOnly = process.env.BARE_MODE === 'schedule';

async function store(): Promise<Store | null> {
  const redisUrl = process.env.BARE_REDIS_URL;
  if (!redisUrl || scheduleOnly) return null;
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { enableAutoPipelining: true });
  redis.defineCommand('saveSample', {
    numberOfKeys: 2,
    lua: "redis.call('SET', KEYS[1], ARGV[1]) redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3]) return 1",
  });
  const key = (i: number) => `bare:state:${i}`;
  for (let i = 0; i < releases; i++) await redis.set(key(i), STATE);
  const save = (redis as unknown as { saveSample(...args: string[]): Promise<number> }).saveSample.bind(
    redis,
  );
  return {
    read: async (i) => JSON.parse((await redis.get(key(i))) ?? STATE) as BareState,
    write: async (i, state, dueMs) => {
      await save(key(i), 'bare:schedule', JSON.stringify(state), String(dueMs), `${i}/error_rate`);
    },
  };
}

async function main(): Promise<void> {
  const get = await client();
  const persisted = await store();
  const sampleOne = async (i: number, dueMs: number): Promise<void> => {
    lateness.push(Math.max(0, Date.now() - dueMs));
    const query = `sum(rate(http_errors{service="bare${String(i + 1).padStart(4, '0')}"}[1m]))`;
    try {
      const state = await persisted?.read(i);
      const body = await get(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
      const reply = JSON.parse(body) as { data?: { result?: { value?: [number, string] }[] } };
      const value = Number(reply.data?.result?.[0]?.value?.[1]);
      if (!Number.isFinite(value) || value > MAX) breaches += 1;
      if (state && persisted) {
        const gate = state.gates.error_rate;
        gate.value = value;
        gate.samples += 1;
        gate.seq += 1;
        await persisted.write(i, state, dueMs + everyMs);
      }
      samples += 1;
    } catch {
      errors += 1;
    }
    if (!scheduleOnly) arm(i, Date.now() + everyMs);
  };
  const arm = (i: number, dueMs: number): void => {
    setTimeout(() => void sampleOne(i, dueMs), Math.max(0, dueMs - Date.now()));
  };
  if (scheduleOnly) {
    const { runDueSet } = await import('./bare-due-set.ts');
    await runDueSet(process.env.BARE_REDIS_URL ?? '', releases, everyMs, sampleOne);
    return;
  }
  // Spread the first samples over one interval, as releases entering a hold at different times are.
  const t0 = Date.now();
  for (let i = 0; i < releases; i++) arm(i, t0 + (i * everyMs) / releases);
}

process.on('message', (m) => {
  if (m !== 'report') return;
  process.send?.({ samples, breaches, errors, lateness });
  lateness = [];
});
process.on('disconnect', () => process.exit(0));
await main();
process.send?.('ready');
