// Folding, pure: when a channel is busy, the routine lines of one thread waiting at the head of the
// lane go out as one post. Only an unbroken run of that thread's routine lines folds — the first
// important line of the same thread ends it — so nothing in a thread changes order, and important
// lines (breaches, rollbacks, approvals, refusals, handoffs) always keep their own post.
import type { QueuedPost } from './types.ts';

/** Slack truncates message text at 40,000 chars; a folded post stays well within a readable size. */
export const FOLDED_TEXT_MAX = 3900;

export interface Folded {
  /** The text to send (the head's own when nothing folds). */
  text: string;
  /** The queued posts this one delivers: the head first. */
  items: QueuedPost[];
}

const threadOf = (q: QueuedPost): string =>
  q.post.thread ? ('ts' in q.post.thread ? `ts:${q.post.thread.ts}` : `ref:${q.post.thread.ref}`) : 'top';

function foldable(q: QueuedPost): boolean {
  return (
    q.post.kind === 'routine' &&
    q.post.foldKey !== undefined &&
    !q.post.blocks &&
    !q.post.saveAs &&
    !q.post.file
  );
}

/**
 * The head of a lane and what folds into it. `busy` is whether the channel has more waiting than
 * its burst: a quiet channel posts every line as it is.
 */
export function foldHead(window: readonly QueuedPost[], busy: boolean): Folded | null {
  const head = window[0];
  if (!head) return null;
  const single = { text: head.post.text, items: [head] };
  if (!busy || !foldable(head)) return single;
  const items = [head];
  let length = head.post.text.length;
  for (const q of window.slice(1)) {
    if (threadOf(q) !== threadOf(head)) continue; // another thread's post keeps its place
    // Any other post of this thread (important, another fold key) ends the run: lines behind it wait.
    if (q.post.foldKey !== head.post.foldKey || !foldable(q)) break;
    if (length + 1 + q.post.text.length > FOLDED_TEXT_MAX) break;
    items.push(q);
    length += 1 + q.post.text.length;
  }
  return { text: items.map((q) => q.post.text).join('\n'), items };
}
