// A prometheus gate against a real Prometheus behind basic auth: it reads with the credentials, and
// without them (or with a wrong password) the 401 is no data that says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleGate } from '../../../src/metrics/sample-gate.ts';
import { startServer, type TestServer } from '../../helpers/http-server.ts';
import { startPrometheus, type TestPrometheus } from '../../helpers/prometheus.ts';
import { waitFor } from '../../helpers/runway.ts';
import { gate, vars } from './support.ts';

const PASSWORD = 'correct-horse-battery-staple';
let target: TestServer;
let prometheus: TestPrometheus;
beforeAll(async () => {
  target = await startServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end('# TYPE checkout_error_ratio gauge\ncheckout_error_ratio{version="v1.2.3"} 0.0025\n');
  });
  prometheus = await startPrometheus({
    username: 'runway',
    password: PASSWORD,
    target: `127.0.0.1:${target.port}`,
  });
}, 60_000);
afterAll(async () => {
  await prometheus?.stop();
  await target?.close();
});

const promGate = (auth: Record<string, unknown>) =>
  gate({
    prometheus: { url: prometheus.url, query: 'checkout_error_ratio{version="{{version}}"}', ...auth },
    max: 0.005,
    timeout: '5s',
  });

describe('prometheus gate with basic auth (a real Prometheus)', () => {
  it('reads the value with the credentials', async () => {
    const withAuth = promGate({ basic_auth: { username: 'runway', password: PASSWORD } });
    const sample = await waitFor('the first scrape', async () => {
      const s = await sampleGate(withAuth, { vars });
      return s.value !== null ? s : null;
    });
    expect(sample).toEqual({ value: 0.0025 });
  });

  it('without credentials the 401 is no data that says authentication is needed', async () => {
    expect(await sampleGate(promGate({}), { vars })).toEqual({
      value: null,
      error:
        'Prometheus needs authentication (HTTP 401: Unauthorized); give the gate basic_auth, bearer_token or headers',
    });
  });

  it('a wrong password is no data naming the credentials, never showing them', async () => {
    const sample = await sampleGate(
      promGate({ basic_auth: { username: 'runway', password: 'wrong-password' } }),
      {
        vars,
      },
    );
    expect(sample.value).toBeNull();
    expect(sample.error).toBe(
      "Prometheus refused the gate's credentials (HTTP 401: Unauthorized); check basic_auth, bearer_token or headers",
    );
  });

  it('a bearer token is sent as Authorization (Prometheus refuses it: it only knows basic users)', async () => {
    const sample = await sampleGate(promGate({ bearer_token: 'glc_not-a-real-token' }), { vars });
    expect(sample.error).toMatch(/^Prometheus refused the gate's credentials \(HTTP 401/);
    expect(sample.error).not.toContain('glc_not-a-real-token');
  });
});
