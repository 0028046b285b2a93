// Promotion in the engine: gather the facts the pure check needs (the source environment's history
// in Redis), start a release in the target from a completed one (the *Start in <env>* button), and
// link the two cards once the new one exists.
import type { Actor, Release, ReleaseEvent } from '../release/types.ts';
import { promotionRefusal, promotionVerdict, type PromotionVerdict } from '../release/promotion.ts';
import { refused } from './kit.ts';
import type { EngineKit, EngineResult, StartRequest } from './types.ts';

/** The promotion verdict for a start of `version` in service/environment, from the stored history. */
export async function checkPromotion(
  kit: EngineKit,
  target: { service: string; environment: string; version: string },
  promotion: { from: string; soakMs: number },
): Promise<PromotionVerdict> {
  let latestThere: string | null = null;
  // Newest first: the last completion of this version counts (a later re-release restarts the soak).
  const found = await kit.store.findInHistory(target.service, promotion.from, (r) => {
    if (r.kind !== 'release' || r.dryRun || r.state !== 'completed') return false;
    latestThere ??= r.version;
    return r.version === target.version;
  });
  return promotionVerdict(
    {
      ...target,
      promotion,
      completedAt: found ? (found.endedAt ?? found.updatedAt) : null,
      latestThere,
    },
    kit.clock(),
  );
}

/** A click on *Start in <env>*: a normal start there, as the clicker, of the source's version. */
export async function startPromotion(
  kit: EngineKit,
  start: (req: StartRequest) => Promise<EngineResult>,
  sourceId: string,
  environment: string,
  actor: Actor,
): Promise<EngineResult> {
  const source = await kit.store.get(sourceId);
  if (!source) return refused('not_found', `There is no release ${sourceId}.`);
  const refusal = promotionRefusal(source, environment);
  if (refusal) return refused('wrong_state', refusal);
  return start({
    service: source.service,
    environment,
    version: source.version,
    requester: actor.user,
    ...(source.card ? { originChannel: source.card.channel } : {}),
    promotedFrom: {
      releaseId: source.id,
      environment: source.environment,
      ...(source.card ? { card: source.card } : {}),
    },
  });
}

/** The release promoted from another got its card: tell the source (idempotent in the machine). */
export async function linkPromotion(
  apply: (id: string, event: ReleaseEvent) => Promise<EngineResult>,
  release: Release,
): Promise<void> {
  if (!release.promotedFrom || !release.card) return;
  await apply(release.promotedFrom.releaseId, {
    type: 'promotionLinked',
    link: { releaseId: release.id, environment: release.environment, card: release.card },
    by: release.requester,
  });
}
