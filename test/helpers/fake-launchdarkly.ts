// A LaunchDarkly REST API v2 fake, from its docs: GET /api/v2/flags/{project}/{key} returns the flag
// with its variations; PATCH with `Content-Type: application/json; domain-model=launchdarkly.semanticpatch`
// applies turnFlagOn / turnFlagOff / updateFallthroughVariationOrRollout to `environmentKey`.
import { startServer, type TestServer } from './http-server.ts';

export interface FakeLaunchDarkly {
  server: TestServer;
  url: string;
  /** Per environment: on, and the fallthrough rollout weights by variation id. */
  env(name: string): { on: boolean; weights?: Record<string, number> };
  /** Answer the next `n` requests with this status (a 5xx to test retries, a 4xx to test refusals). */
  failNext(status: number, n?: number): void;
  close(): Promise<void>;
}

export async function startFakeLaunchDarkly(opts: {
  project: string;
  key: string;
  token: string;
}): Promise<FakeLaunchDarkly> {
  const envs = new Map<string, { on: boolean; weights?: Record<string, number> }>();
  let failing: { status: number; left: number } | null = null;
  const path = `/api/v2/flags/${opts.project}/${opts.key}`;
  const server = await startServer((req, res, body) => {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (failing && failing.left > 0) {
      failing.left -= 1;
      return send(failing.status, { code: 'forced', message: `forced ${failing.status}` });
    }
    if (req.headers.authorization !== opts.token)
      return send(401, { code: 'unauthorized', message: 'Invalid access token' });
    if (req.url !== path) return send(404, { code: 'not_found', message: 'Unknown resource' });
    if (req.method === 'GET')
      return send(200, {
        key: opts.key,
        kind: 'boolean',
        variations: [
          { _id: 'v-true', value: true },
          { _id: 'v-false', value: false },
        ],
      });
    if (req.method !== 'PATCH') return send(405, { code: 'method_not_allowed', message: 'no' });
    if (req.headers['content-type'] !== 'application/json; domain-model=launchdarkly.semanticpatch')
      return send(400, { code: 'invalid_request', message: 'not a semantic patch' });
    const patch = JSON.parse(body.toString()) as {
      environmentKey?: string;
      instructions?: { kind: string; rolloutWeights?: Record<string, number> }[];
    };
    if (!patch.environmentKey)
      return send(400, { code: 'invalid_request', message: 'environmentKey is required' });
    const env = envs.get(patch.environmentKey) ?? { on: false };
    for (const i of patch.instructions ?? []) {
      if (i.kind === 'turnFlagOn') env.on = true;
      else if (i.kind === 'turnFlagOff') env.on = false;
      else if (i.kind === 'updateFallthroughVariationOrRollout') {
        const total = Object.values(i.rolloutWeights ?? {}).reduce((a, b) => a + b, 0);
        if (total !== 100_000)
          return send(400, { code: 'invalid_request', message: 'rollout weights must add up to 100000' });
        env.weights = i.rolloutWeights;
      } else return send(400, { code: 'invalid_request', message: `unknown instruction ${i.kind}` });
    }
    envs.set(patch.environmentKey, env);
    send(200, { key: opts.key });
  });
  return {
    server,
    url: server.url,
    env: (name) => envs.get(name) ?? { on: false },
    failNext: (status, n = 1) => (failing = { status, left: n }),
    close: () => server.close(),
  };
}
