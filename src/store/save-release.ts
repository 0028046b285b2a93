// One release's save through save-release.lua (see its header): the state with its outbox batch,
// audit entries and inline writes, a final state moving the release to the history. Steady gate
// readings take the gathered path instead (steady-saves.ts).
import type { Redis } from 'ioredis';
import type { Release } from '../release/types.ts';
import type { StoreKeys } from './keys.ts';
import type { OutboxEffect } from './outbox.ts';
import { inlineArgs, type InlineWrites } from './inline-writes.ts';
import { runScript, scripts } from './scripts.ts';
import { deployedBy, stateJson } from './release-codec.ts';
import { StoreError } from '../errors.ts';

/** A save's reply: 1 saved, 0 the stored rev differs (nothing written), -1 no such release. */
export type SaveStatus = 1 | 0 | -1;

export interface FullSave {
  release: Release;
  expectedRev: number;
  final: boolean;
  /** The decision's effects for the outbox (and the version a completed release records as deployed). */
  effects: readonly OutboxEffect[];
  inline: InlineWrites;
  /** Packed audit entries (audit-entry.ts). */
  audit: string[];
  /** The history score when the release carries no end time. */
  nowMs: number;
}

/** The outbox batch of a decision's effects as stored, or '' for none. */
export function outboxBatchJson(release: Release, effects: readonly OutboxEffect[]): string {
  return effects.length === 0 ? '' : JSON.stringify({ batchId: `${release.id}-r${release.rev}`, effects });
}

export async function saveRelease(redis: Redis, k: StoreKeys, save: FullSave): Promise<SaveStatus> {
  const { release } = save;
  const endedAtMs = Date.parse(release.endedAt ?? release.updatedAt);
  const inline = inlineArgs(k, release.id, save.inline);
  const reply = await runScript(
    redis,
    scripts.saveRelease,
    [
      k.release(release.id),
      k.activeSet(),
      k.history(),
      k.serviceHistory(release.service),
      k.active(release.service, release.environment),
      k.outbox(),
      k.releaseOutbox(release.id),
      k.audit(),
      k.deployed(release.service, release.environment),
      ...inline.keys,
    ],
    [
      release.id,
      String(save.expectedRev),
      String(release.rev),
      stateJson(release),
      save.final ? '1' : '0',
      String(Number.isFinite(endedAtMs) ? endedAtMs : save.nowMs),
      outboxBatchJson(release, save.effects),
      deployedBy(save.effects),
      ...inline.args,
      ...save.audit,
    ],
  );
  if (reply === 1 || reply === 0 || reply === -1) return reply;
  throw new StoreError('bad_reply', `save release ${release.id}: unexpected reply from Redis`);
}
