// Starts the calls that became ready during one turn of the event loop together, in its check phase:
// their Redis commands then leave in one auto-pipelined write (src/redis/connection.ts) instead of one
// write, and one read on the server, each. Gate samples finish their HTTP requests a few at a time.
export class SameTurn {
  private pending: (() => void)[] = [];

  run<T>(call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push(() => void call().then(resolve, reject));
      if (this.pending.length === 1) setImmediate(() => this.release());
    });
  }

  private release(): void {
    const ready = this.pending;
    this.pending = [];
    for (const start of ready) start();
  }
}
