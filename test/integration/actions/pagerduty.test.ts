import { afterEach, describe, expect, it } from 'vitest';
import { sendPagerDutyEvent } from '../../../src/actions/pagerduty.ts';
import { runAction } from '../../../src/actions/run-action.ts';
import { pagerdutySchema } from '../../../src/config/schema.ts';
import { sendJson, startServer, type TestServer } from '../../helpers/http-server.ts';
import { action, context } from './support.ts';

const ROUTING_KEY = 'R0UTINGKEY1234567890abcdef123456';
const fast = { backoff: { baseMs: 5, capMs: 20 } };
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A fake Events API v2: validates like PagerDuty does and answers 202 {status, message, dedup_key}. */
async function fakeEvents(failFirst: number[] = []): Promise<TestServer> {
  let call = 0;
  server = await startServer((req, res, raw) => {
    const status = failFirst[call++];
    if (status)
      return sendJson(res, status, { status: 'error', message: `failing with ${status} for ${ROUTING_KEY}` });
    const event = JSON.parse(raw.toString()) as {
      routing_key?: string;
      event_action?: string;
      dedup_key?: string;
      payload?: { summary?: string; source?: string; severity?: string };
    };
    const errors: string[] = [];
    if (req.url !== '/v2/enqueue') errors.push('wrong path');
    if (event.routing_key?.length !== 32) errors.push('Invalid routing key');
    if (
      event.event_action === 'trigger' &&
      (!event.payload?.summary || !event.payload.source || !event.payload.severity)
    ) {
      errors.push("'payload' is invalid or missing");
    }
    if (errors.length)
      return sendJson(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors });
    sendJson(res, 202, {
      status: 'success',
      message: 'Event processed',
      dedup_key: event.dedup_key ?? 'generated',
    });
  });
  return server;
}

const body = (srv: TestServer, i = 0): Record<string, unknown> =>
  JSON.parse(srv.requests[i]!.body.toString()) as Record<string, unknown>;

describe('pagerduty', () => {
  it('the action triggers with dedup_key = idempotency key and a summary from vars', async () => {
    const srv = await fakeEvents();
    const result = await runAction(
      action({ pagerduty: { routing_key: ROUTING_KEY, url: `${srv.url}/v2/enqueue` } }),
      context(),
    );
    expect(result).toMatchObject({
      ok: true,
      summary: 'PagerDuty trigger accepted (dedup_key rel_42:deploy:1)',
    });
    expect(body(srv)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'rel_42:deploy:1',
      payload: {
        summary: 'Runway: checkout v1.2.3 in production',
        source: 'runway',
        severity: 'critical',
        custom_details: expect.objectContaining({
          service: 'checkout',
          version: 'v1.2.3',
          release_id: 'rel_42',
        }) as unknown,
      },
    });
    expect(srv.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('sendPagerDutyEvent resolves by dedup_key without a payload', async () => {
    const srv = await fakeEvents();
    const config = pagerdutySchema.parse({ routing_key: ROUTING_KEY, url: `${srv.url}/v2/enqueue` });
    const result = await sendPagerDutyEvent(config, { action: 'resolve', dedupKey: 'inc-20240601-checkout' });
    expect(result).toMatchObject({ ok: true, dedupKey: 'inc-20240601-checkout', attempts: 1 });
    expect(body(srv)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'inc-20240601-checkout',
    });
  });

  it('sendPagerDutyEvent passes severity and details', async () => {
    const srv = await fakeEvents();
    const config = pagerdutySchema.parse({
      routing_key: ROUTING_KEY,
      url: `${srv.url}/v2/enqueue`,
      source: 'checkout-prod',
    });
    await sendPagerDutyEvent(config, {
      action: 'trigger',
      dedupKey: 'k1',
      summary: 'sev2: errors',
      severity: 'error',
      details: { commander: 'U1' },
    });
    expect(body(srv).payload).toEqual({
      summary: 'sev2: errors',
      source: 'checkout-prod',
      severity: 'error',
      custom_details: { commander: 'U1' },
    });
  });

  it('retries 5xx and 429 with the same dedup_key', async () => {
    const srv = await fakeEvents([500, 429]);
    const result = await runAction(
      action({ pagerduty: { routing_key: ROUTING_KEY, url: `${srv.url}/v2/enqueue` } }),
      context(),
      fast,
    );
    expect(result.ok).toBe(true);
    expect(srv.requests.map((_, i) => body(srv, i).dedup_key)).toEqual([
      'rel_42:deploy:1',
      'rel_42:deploy:1',
      'rel_42:deploy:1',
    ]);
  });

  it('a 400 is reported with PagerDuty’s errors, not retried, and hides the routing key', async () => {
    const srv = await fakeEvents();
    const shortKey = 'short-key-xyz';
    const result = await runAction(
      action({ pagerduty: { routing_key: shortKey, url: `${srv.url}/v2/enqueue` } }),
      context(),
      fast,
    );
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.summary).toBe(
      'PagerDuty refused the trigger: HTTP 400 (Event object is invalid; Invalid routing key)',
    );
    expect(srv.requests).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain(shortKey);
  });

  it('the routing key never appears in a failure summary or tail', async () => {
    const srv = await fakeEvents([503, 503, 503, 503]);
    const result = await runAction(
      action({ pagerduty: { routing_key: ROUTING_KEY, url: `${srv.url}/v2/enqueue` } }),
      context(),
      fast,
    );
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(result.summary).toMatch(/HTTP 503 .*after 4 attempts$/);
    expect(result.tail).toContain('[redacted]');
    expect(JSON.stringify(result)).not.toContain(ROUTING_KEY);
  });
});
