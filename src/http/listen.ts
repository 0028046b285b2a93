// Listening on PORT, and the sentence when that fails: a second runway on a host with the same PORT
// is a setting to change, not a crash to debug, so it is said in one line without a stack trace.
import type { Server } from 'node:http';

/** PORT could not be listened on; the message says which and what to do. main prints only it. */
export class PortError extends Error {}

function portError(port: number, error: NodeJS.ErrnoException): PortError {
  return new PortError(
    error.code === 'EADDRINUSE'
      ? `PORT ${port} is already in use (another runway on this host?): set PORT to a free port, or PORT=0 for any`
      : `cannot listen on PORT ${port}: ${error.message}`,
  );
}

/** Anything with Node's listen (an http.Server, an Express app). */
interface Listens {
  listen(port: number, host: string, done: (error?: Error) => void): Server;
  listen(port: number, done: (error?: Error) => void): Server;
}

/** Resolves with the server once it listens; rejects with a PortError when it cannot. */
export function listenOn(target: Listens, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(portError(port, error));
    // Express 5's app.listen also calls back on an error (with it), where http.Server emits 'error'.
    const done = (error?: Error) => {
      server.off('error', failed);
      if (error) failed(error);
      else resolve(server);
    };
    const server = host ? target.listen(port, host, done) : target.listen(port, done);
    server.once('error', failed);
  });
}
