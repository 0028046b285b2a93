// Drains one channel's lane: takes the lane lock, then posts from the head at the channel's pace
// (the shared bucket), folding routine lines when the channel is busy. 429s, 5xx and network errors
// put the channel on hold and are tried again (they are not attempts); only a permanent refusal sets
// a post aside. A wait longer than a moment ends the drain with a delayed job instead of a sleep.
// The lock is renewed all through each attempt, however long it takes (keep-lock.ts).
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../log.ts';
import { findPosted } from './find-posted.ts';
import { foldHead, type Folded } from './fold.ts';
import { whileHolding } from './keep-lock.ts';
import type { Lanes } from './lanes.ts';
import type { DeliveryHooks, DeliveryObserver } from './observer.ts';
import { outcomeOf, transientBackoffMs } from './outcome.ts';
import { postScope, type Pacer } from './pacer.ts';
import { shareFile } from './share-file.ts';
import type { Post, QueuedPost, SlackOutcome } from './types.ts';

export interface LaneDeps {
  lanes: Lanes;
  pacer: Pacer;
  /** The delivery client: no retries of its own, 429s rejected (see deliveryClient). */
  client: WebClient;
  /** conversations.join, for a public channel that answered not_in_channel. */
  join(channel: string): Promise<void>;
  hooks: DeliveryHooks;
  observer: DeliveryObserver;
  log: Logger;
  /** Drain this channel again after `delayMs` (a delayed job). */
  reschedule(channel: string, delayMs: number): Promise<void>;
  sleep(ms: number): Promise<void>;
  lockTtlMs: number;
  /** Waits up to this long happen in the job; longer ones become a delayed job. */
  maxInlineWaitMs: number;
}

/** Posts read per round: the head and what may fold into it (a busy release’s next lines sit behind other releases’). */
const WINDOW = 100;

type Stop = { type: 'empty' } | { type: 'lost' } | { type: 'wait'; ms: number };

export async function drainLane(deps: LaneDeps, channel: string): Promise<number> {
  const count = { delivered: 0 };
  for (;;) {
    const token = await deps.lanes.lock(channel, deps.lockTtlMs);
    if (token === null) return count.delivered; // the holder sees what we came for
    let stop: Stop;
    try {
      stop = await drainHeld(deps, channel, token, count);
    } catch (error) {
      await deps.lanes.release(channel, token);
      throw error; // the job is retried; the post stays at the head
    }
    const left = await deps.lanes.release(channel, token);
    if (stop.type === 'wait') {
      await deps.reschedule(channel, stop.ms);
      return count.delivered;
    }
    if (left === 0 || stop.type === 'lost') return count.delivered;
  }
}

async function drainHeld(
  deps: LaneDeps,
  channel: string,
  token: string,
  count: { delivered: number },
): Promise<Stop> {
  let joined = false;
  for (;;) {
    if (!(await deps.lanes.renew(channel, token, deps.lockTtlMs))) return { type: 'lost' };
    const { window, depth } = await deps.lanes.head(channel, WINDOW);
    if (window.length === 0) return { type: 'empty' };
    const wait = await deps.pacer.takePost(channel);
    if (wait > 0) {
      if (wait > deps.maxInlineWaitMs) return { type: 'wait', ms: wait };
      await deps.sleep(wait);
      continue;
    }
    const folded = foldHead(window, depth > deps.pacer.settings.postBurst);
    if (!folded) return { type: 'empty' };
    const renew = () => deps.lanes.renew(channel, token, deps.lockTtlMs);
    const tried = await whileHolding(renew, deps.lockTtlMs / 3, () => attempt(deps, channel, window, folded));
    // The lock lapsed mid-send: another drainer has the lane, and the sending note to look for this post.
    if (!tried.held) return { type: 'lost' };
    const { outcome, items } = tried.value;
    switch (outcome.type) {
      case 'ok': {
        const where = { channel: outcome.channel ?? channel, ts: outcome.ts ?? '' };
        for (const item of items) {
          if (item.post.saveAs) await deps.lanes.saveRef(item.post.saveAs, where);
          await deps.hooks.posted?.(item.post, where);
        }
        if (!(await deps.lanes.remove(channel, token, items))) return { type: 'lost' };
        await deps.lanes.dropFiles(items);
        await deps.lanes.sent(channel, outcome.ts);
        await deps.lanes.succeeded(channel);
        if (items.length > 1) deps.observer.folded?.(items.length);
        count.delivered += items.length;
        break;
      }
      case 'rate_limited':
        deps.observer.rateLimited?.('chat.postMessage');
        await deps.pacer.hold(postScope(channel), outcome.retryAfterMs);
        break;
      case 'transient': {
        deps.observer.retried?.(outcome.reason);
        const failures = await deps.lanes.failed(channel);
        deps.log.warn({ channel, reason: outcome.reason, failures }, 'Slack post failed; trying again');
        await deps.pacer.hold(postScope(channel), transientBackoffMs(failures));
        break;
      }
      case 'not_in_channel':
        if (!joined) {
          joined = true;
          await deps.join(channel).catch(() => undefined);
          break;
        }
        if (!(await setAside(deps, channel, token, folded.items, 'not_in_channel'))) return { type: 'lost' };
        break;
      case 'permanent':
        if (!(await setAside(deps, channel, token, folded.items, outcome.code))) return { type: 'lost' };
        break;
    }
  }
}

/** One try of the head (folded): unless an earlier attempt already posted it. */
async function attempt(
  deps: LaneDeps,
  channel: string,
  window: readonly QueuedPost[],
  folded: Folded,
): Promise<{ outcome: SlackOutcome; items: QueuedPost[] }> {
  const head = folded.items[0]!.post;
  // A drainer that died mid-send, or an attempt without an answer, may have posted this already:
  // look before posting it again.
  const already = await postedBefore(deps, channel, head);
  if (already) {
    // What that earlier post carried (it may have folded fewer or more lines than this round would).
    const items = window.filter((i) => already.keys.includes(i.post.key));
    return { outcome: { type: 'ok', ts: already.ts, channel }, items };
  }
  await deps.lanes.sending(channel, { keys: folded.items.map((i) => i.post.key), text: folded.text });
  const outcome = await send(deps, head, folded.text);
  // Slack said no (a 429, an error reply): it has not got the post, so a retry posts without looking.
  if (outcome.type !== 'ok' && !(outcome.type === 'transient' && outcome.mayHaveTaken))
    await deps.lanes.notTaken(channel);
  return { outcome, items: folded.items };
}

async function threadOf(deps: LaneDeps, post: Post): Promise<string | undefined> {
  if (!post.thread) return undefined;
  if ('ts' in post.thread) return post.thread.ts;
  // The named post (a card) waited earlier in this same lane; without it the line goes top level.
  const where = await deps.lanes.ref(post.thread.ref);
  if (!where)
    deps.log.warn(
      { post: post.key, ref: post.thread.ref },
      'thread parent was never posted (set aside?): this line is posted at top level',
    );
  return where?.ts;
}

/**
 * After a crash mid-send or an attempt whose answer was lost (the lane's "sending" note names this
 * post), the message Slack may have taken: see findPosted. Slack's chat.postMessage has no idempotency
 * key; this closes the window between Slack taking a post and the lane hearing of it.
 */
async function postedBefore(
  deps: LaneDeps,
  channel: string,
  post: Post,
): Promise<{ ts: string; keys: string[] } | null> {
  const note = await deps.lanes.wasSending(channel);
  if (note?.keys[0] !== post.key) return null;
  try {
    const threadTs = await threadOf(deps, post);
    const look = { text: note.text ?? post.text, sinceMs: note.at, afterTs: note.afterTs };
    const found = await findPosted(deps.client, { channel, threadTs }, look);
    if (!found) return null;
    deps.log.warn(
      { channel, post: post.key },
      'found a post an earlier attempt had already made: not posting it again',
    );
    return { ts: found.ts, keys: note.keys };
  } catch {
    return null; // cannot tell: post it (a repeat is better than a loss)
  }
}

async function send(deps: LaneDeps, post: Post, text: string): Promise<SlackOutcome> {
  const threadTs = await threadOf(deps, post);
  if (post.file) return shareFile(deps.client, post, await deps.lanes.fileContent(post.key), text, threadTs);
  try {
    const res = await deps.client.chat.postMessage({
      channel: post.channel,
      text,
      ...(post.blocks ? { blocks: post.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
    });
    return {
      type: 'ok',
      ...(res.ts ? { ts: res.ts } : {}),
      ...(res.channel ? { channel: res.channel } : {}),
    };
  } catch (error) {
    return outcomeOf(error);
  }
}

async function setAside(
  deps: LaneDeps,
  channel: string,
  token: string,
  items: readonly QueuedPost[],
  reason: string,
): Promise<boolean> {
  for (const item of items) {
    deps.log.error({ channel, post: item.post.key, reason }, 'Slack refuses this post: set aside');
    await deps.hooks.setAside?.(item.post, reason);
  }
  const removed = await deps.lanes.remove(channel, token, items);
  if (removed) await deps.lanes.dropFiles(items);
  return removed;
}
