// Finding a port to start Redis on: bind it, then let go. Another process could take it in between,
// so whoever starts a server on it must be ready to try again.
import { createServer } from 'node:net';

/** True when nothing listens on host:port right now. */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free (listen on 0, read it, close). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** The first free port among `preferred`, else any free one. */
export async function pickPort(preferred: number[], host = '127.0.0.1'): Promise<number> {
  for (const port of preferred) if (await portIsFree(port, host)) return port;
  return freePort(host);
}
