import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import express from 'express';
import { listenOn, PortError } from '../../../src/http/listen.ts';

const open: Server[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => new Promise((done) => s.close(done))));
});

async function takenPort(): Promise<number> {
  const holder = createServer().listen(0, '127.0.0.1');
  open.push(holder);
  await once(holder, 'listening');
  const address = holder.address();
  return typeof address === 'object' && address ? address.port : 0;
}

// An http.Server emits 'error'; Express 5's app.listen calls its callback with the error instead.
const targets = [
  { name: 'an http.Server', make: () => createServer() },
  { name: 'an Express app', make: () => express() },
];

describe('listenOn', () => {
  it.each(targets)('$name on a free port resolves with the listening server', async ({ make }) => {
    const server = await listenOn(make(), 0, '127.0.0.1');
    open.push(server);
    expect(server.listening).toBe(true);
    expect(server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it.each(targets)('$name on a taken port rejects with a PortError naming the port', async ({ make }) => {
    const port = await takenPort();
    const error = await listenOn(make(), port, '127.0.0.1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PortError);
    expect((error as Error).message).toBe(
      `PORT ${port} is already in use (another runway on this host?): set PORT to a free port, or PORT=0 for any`,
    );
  });
});
