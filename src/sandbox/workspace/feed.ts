// The workspace's change feed: every change to messages, channels, files and views is announced here,
// so a browser UI can stream it and tests can wait for what the bot does instead of polling.
import type { WorkspaceEvent } from './types.ts';

export type FeedListener = (event: WorkspaceEvent) => void;

export class Feed {
  private readonly listeners = new Set<FeedListener>();

  /** Returns the unsubscribe function. */
  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: WorkspaceEvent): void {
    // A failing listener (a closed browser stream) must not stop the others nor the Web API call.
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        /* ignored on purpose */
      }
    }
  }
}
