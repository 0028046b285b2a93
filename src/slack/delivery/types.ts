// What the delivery layer carries: already-rendered Slack payloads plus what it needs to pace, order,
// fold and account for them. It never renders and never knows what a release is.
import type { KnownBlock } from '@slack/web-api';
import { z } from 'zod';

/** Block Kit blocks as rendered by src/slack/views (checked there and by Slack, not again here). */
const blockSchema = z.custom<KnownBlock>((v) => typeof v === 'object' && v !== null && 'type' in v);

/** Where a post goes in its channel: top level, under a known message, or under a named post. */
const threadSchema = z.union([z.object({ ts: z.string() }), z.object({ ref: z.string() })]);

const auditSchema = z.object({
  action: z.string(),
  releaseId: z.string().optional(),
  service: z.string().optional(),
  environment: z.string().optional(),
  incidentId: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** A file shared with the post (its text is the file's comment); the bytes wait apart, in Redis. */
const fileSchema = z.object({ name: z.string().min(1), title: z.string(), bytes: z.number().int().min(0) });

export const postSchema = z.object({
  /** Unique and deterministic: a post queued twice is delivered once. */
  key: z.string().min(1),
  /** A channel id (C…/G…): the lane it waits in. */
  channel: z.string().min(1),
  thread: threadSchema.optional(),
  text: z.string(),
  blocks: z.array(blockSchema).optional(),
  /** Routine lines may fold into one post when the channel is busy; important ones never do. */
  kind: z.enum(['routine', 'important']),
  /** Routine posts with the same fold key (one release's thread) may be joined. */
  foldKey: z.string().optional(),
  /** Remember where this post landed under this name (a release card: `card-<release>`). */
  saveAs: z.string().optional(),
  /** Shared with files.getUploadURLExternal / completeUploadExternal instead of chat.postMessage. */
  file: fileSchema.optional(),
  /** Appended to the audit log once the post is delivered. */
  audit: auditSchema.optional(),
  /** When it was queued (ms): the oldest pending post's age is a metric. */
  at: z.number(),
});

export type Post = z.infer<typeof postSchema>;
export type PostKind = Post['kind'];
export type PostInput = Omit<Post, 'at'>;
export type PostAudit = z.infer<typeof auditSchema>;

/** A queued post as read from its lane: the raw JSON removes it exactly. */
export interface QueuedPost {
  raw: string;
  post: Post;
}

/** Where a message is. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/** A card edit as rendered at the moment it is sent. */
export interface CardRender extends MessageRef {
  text: string;
  blocks?: KnownBlock[];
  /** What the card's state (not its readings) looks like: a change of it is a state change. */
  sig: string;
}

/** What Slack's answer means for the delivery layer. */
export type SlackOutcome =
  | { type: 'ok'; ts?: string; channel?: string }
  | { type: 'rate_limited'; retryAfterMs: number }
  /** `mayHaveTaken`: no answer said Slack refused it (a 5xx, a lost answer), so it may be posted. */
  | { type: 'transient'; reason: string; mayHaveTaken: boolean }
  | { type: 'not_in_channel' }
  | { type: 'permanent'; code: string };
