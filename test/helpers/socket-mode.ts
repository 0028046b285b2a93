// Slack's Socket Mode, server side, for tests: `apps.connections.open` (called with the app-level
// token) hands out a ws:// URL; the app connects, gets `hello`, then receives envelopes
// ({envelope_id, type, payload, accepts_response_payload}) and acks each with {envelope_id, payload?}.
// Requests the workspace would POST to the app travel as envelopes instead.
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppResponse, AppTransport } from '../../src/sandbox/workspace/app-driver.ts';

export interface SocketModeHub {
  /** For the workspace's tokenMethods: answers apps.connections.open with this hub's URL. */
  connectionsOpen: { token: string; run: () => { ok: true; url: string } };
  /** For the workspace's transport: undefined until the app has connected. */
  transport: () => AppTransport | undefined;
  connections(): number;
  close(): Promise<void>;
}

export async function startSocketModeHub(appToken: string): Promise<SocketModeHub> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((ok) => server.once('listening', () => ok()));
  const url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/link`;
  const pending = new Map<string, (payload: unknown) => void>();
  let socket: WebSocket | null = null;

  server.on('connection', (ws) => {
    socket = ws;
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        connection_info: { app_id: 'A0RUNWAY1' },
        debug_info: { host: 'test' },
      }),
    );
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (ack.envelope_id) pending.get(ack.envelope_id)?.(ack.payload);
    });
    ws.on('close', () => {
      if (socket === ws) socket = null;
    });
  });

  /** Turns what would be POSTed into an envelope: slash commands, interactivity, events. */
  const toEnvelope = (body: string, contentType: string): { type: string; payload: unknown } => {
    if (contentType.startsWith('application/json')) return { type: 'events_api', payload: JSON.parse(body) };
    const form = new URLSearchParams(body);
    const interactive = form.get('payload');
    if (interactive) return { type: 'interactive', payload: JSON.parse(interactive) };
    return { type: 'slash_commands', payload: Object.fromEntries(form) };
  };

  const transport: AppTransport = async (body, contentType): Promise<AppResponse> => {
    const ws = socket;
    if (!ws) return { status: 0, body: '', ms: 0, error: 'dispatch_failed' };
    const envelopeId = randomUUID();
    const started = performance.now();
    const acked = new Promise<unknown>((ok, fail) => {
      pending.set(envelopeId, ok);
      setTimeout(() => fail(new Error('no ack within 3 s')), 3000).unref();
    });
    ws.send(
      JSON.stringify({
        envelope_id: envelopeId,
        ...toEnvelope(body, contentType),
        accepts_response_payload: true,
        retry_attempt: 0,
        retry_reason: '',
      }),
    );
    try {
      const payload = await acked;
      return {
        status: 200,
        body: payload === undefined ? '' : JSON.stringify(payload),
        ms: performance.now() - started,
      };
    } catch {
      return { status: 0, body: '', ms: performance.now() - started, error: 'operation_timeout' };
    } finally {
      pending.delete(envelopeId);
    }
  };

  return {
    connectionsOpen: { token: appToken, run: () => ({ ok: true, url }) },
    transport: () => (socket ? transport : undefined),
    connections: () => (socket ? 1 : 0),
    close: () =>
      new Promise<void>((ok) => {
        for (const client of server.clients) client.terminate();
        server.close(() => ok());
      }),
  };
}
