// Why 1,000 releases sampled at once rolled back in the bench: kept-alive connections to the gate's
// server that the server had just closed as idle. The client sent the next sample on a socket the
// server no longer listened on and got a reset: "no data (connection reset)" → breach with `for: 0` →
// rollback. A busy worker widens the race (its event loop notices the close late). That reset is
// the client's stale socket, not the target: a GET cut off before any answer is retried once on a
// fresh connection, and idle sockets retire before the server's keep-alive hint.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleGate } from '../../../src/metrics/sample-gate.ts';
import { gate, vars } from './support.ts';

const BODY = JSON.stringify({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: {}, value: [1717000000, '0.002'] }] },
});
const ANSWER =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\nKeep-Alive: timeout=60\r\n' +
  `Content-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`;

/**
 * A keep-alive HTTP/1.1 server (raw TCP, so the test decides exactly when a connection dies) that
 * answers the first request on each connection and resets the connection when a later one arrives
 * on it: what a client sees when it reuses a socket the server has just closed as idle.
 */
async function startDroppingServer(): Promise<{
  url: string;
  connections: () => number;
  resets: () => number;
  server: Server;
}> {
  let connections = 0;
  let resets = 0;
  const server = createServer((socket: Socket) => {
    connections += 1;
    track(socket);
    let answered = 0;
    let buffered = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        if (answered === 0) {
          answered += 1;
          socket.write(ANSWER);
        } else {
          resets += 1;
          socket.resetAndDestroy();
          return;
        }
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connections: () => connections, resets: () => resets, server };
}

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  // The client keeps its sockets alive: end them here, or close() waits for them.
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  for (const s of servers.splice(0)) {
    await new Promise<void>((done) => s.close(() => done()));
  }
});
const track = (socket: Socket): void => {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
};

describe('a gate whose server closes kept-alive connections', () => {
  it('reads a value when the server reset the reused connection (one retry on a fresh one)', async () => {
    const s = await startDroppingServer();
    servers.push(s.server);
    const config = gate({ prometheus: { url: s.url, query: 'up' }, max: 1, timeout: '5s' });
    // Sequential samples reuse the kept-alive socket: every one after the first meets a reset.
    for (let i = 0; i < 5; i++) {
      expect(await sampleGate(config, { vars })).toEqual({ value: 0.002 });
    }
    expect(s.resets()).toBeGreaterThan(0); // the race really happened
    expect(s.connections()).toBeGreaterThan(1);
  });

  it('still says "connection reset" when the server resets every attempt', async () => {
    const server = createServer((socket) => {
      track(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => socket.resetAndDestroy());
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const sample = await sampleGate(
      gate({ prometheus: { url: `http://127.0.0.1:${port}`, query: 'up' }, max: 1, timeout: '5s' }),
      { vars },
    );
    expect(sample).toEqual({
      value: null,
      error: `Prometheus unreachable at http://127.0.0.1:${port}/api/v1/query: connection reset`,
    });
  });
});
