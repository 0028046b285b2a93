// The delivery layer's Redis keys, built from the store's prefix (kept beside the layer so its layout
// reads in one place; nothing here overlaps src/store/keys.ts, whose keys are `<prefix>:<name>:…`).

export interface DeliveryKeys {
  /** LIST of JSON posts waiting for one channel, oldest first. */
  lane(channel: string): string;
  /** SET of channels whose lane is not empty. */
  lanes(): string;
  /** STRING lock: one process drains a channel's lane at a time. */
  laneLock(channel: string): string;
  /** STRING with EX: a post key already queued (a repeat is dropped). */
  queued(postKey: string): string;
  /** STRING counter: transient failures in a row on one lane (its backoff). */
  laneFailures(channel: string): string;
  /** STRING JSON {key, at}: the post a drainer is sending now (a crash leaves it behind). */
  inflight(channel: string): string;
  /** STRING with EX: the ts of the last message a lane delivered (a look for a lost post starts after it). */
  lastPosted(channel: string): string;
  /** STRING with EX: when a keyed postNow was last sent without an answer (ms). */
  inflightNow(postKey: string): string;
  /** STRING (bytes) with EX: the content of a queued file post, until it is shared. */
  file(postKey: string): string;
  /** STRING JSON {channel, ts}: where a named post (a release card) landed. */
  ref(name: string): string;
  /** HASH {tokens, at}: a token bucket ("post:<channel>", "update"). */
  bucket(scope: string): string;
  /** STRING with PX: Slack said wait (429 Retry-After, or a 5xx backoff) for this scope. */
  hold(scope: string): string;
  /** ZSET card id → when its next edit is due (ms). */
  cards(): string;
  /** HASH {gen, sentGen, priority, sentSig, sentAt}: one card's edit bookkeeping. */
  card(id: string): string;
  /** STRING lock: one process spends the workspace's chat.update budget at a time. */
  cardsLock(): string;
}

export function deliveryKeys(prefix: string): DeliveryKeys {
  const p = `${prefix}:dlv`;
  return {
    lane: (channel) => `${p}:lane:${channel}`,
    lanes: () => `${p}:lanes`,
    laneLock: (channel) => `${p}:lock:lane:${channel}`,
    queued: (key) => `${p}:queued:${key}`,
    laneFailures: (channel) => `${p}:failures:${channel}`,
    inflight: (channel) => `${p}:inflight:${channel}`,
    lastPosted: (channel) => `${p}:last-posted:${channel}`,
    inflightNow: (key) => `${p}:inflight-now:${key}`,
    file: (key) => `${p}:file:${key}`,
    ref: (name) => `${p}:ref:${name}`,
    bucket: (scope) => `${p}:bucket:${scope}`,
    hold: (scope) => `${p}:hold:${scope}`,
    cards: () => `${p}:cards`,
    card: (id) => `${p}:card:${id}`,
    cardsLock: () => `${p}:lock:cards`,
  };
}
