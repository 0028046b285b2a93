// The bare sampler hold-memory runs beside Runway's worker: N timers in one process, each doing
// what a gate sample must do at the least (GET the instant query, parse the JSON, compare with the
// threshold) and arming its next one `every` after it finished, as Runway does. Same HTTP client as
// Runway's gates (undici's pool from src/metrics/gate-http.ts; axios on a tree that predates it),
// so the CPU per sample of the two compares the design, not the client.
//
//   BARE_URL=http://127.0.0.1:port BARE_RELEASES=1000 BARE_EVERY_MS=1000 BARE_CLIENT=undici \
//     node bin/run-ts.js bench/bare-sampler.ts     (forked by hold-memory with an IPC channel)
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

async function main(): Promise<void> {
  const get = await client();
  const sampleOne = async (i: number, dueMs: number): Promise<void> => {
    lateness.push(Math.max(0, Date.now() - dueMs));
    const query = `sum(rate(http_errors{service="bare${String(i + 1).padStart(4, '0')}"}[1m]))`;
    try {
      const body = await get(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
      const reply = JSON.parse(body) as { data?: { result?: { value?: [number, string] }[] } };
      const value = Number(reply.data?.result?.[0]?.value?.[1]);
      if (!Number.isFinite(value) || value > MAX) breaches += 1;
      samples += 1;
    } catch {
      errors += 1;
    }
    arm(i, Date.now() + everyMs);
  };
  const arm = (i: number, dueMs: number): void => {
    setTimeout(() => void sampleOne(i, dueMs), Math.max(0, dueMs - Date.now()));
  };
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
