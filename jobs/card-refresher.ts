// Card refresher. Takes: due card refreshes from the card-refresh due set (armed by the save of a
// decision that only changed a card's readings, one per card per window). Produces: the card
// re-rendered from the release as it is then (with Slack, through the shared chat.update budget).
import type { Logger } from '../src/log.ts';
import type { Notifier } from '../src/engine/notifier.ts';
import type { ReleaseStore } from '../src/store/release-store.ts';
import type { DueMember, DueSet } from '../src/store/due-set.ts';
import { DuePump, type PumpTuning } from './due-pump.ts';

export interface CardRefresherDeps {
  cards: DueSet;
  store: ReleaseStore;
  notifier: Notifier;
  log: Logger;
}

/** Re-renders a release's card from what it is now (nothing when it is gone or there is no card). */
export async function refreshCardOf(
  deps: Pick<CardRefresherDeps, 'store' | 'notifier'>,
  releaseId: string,
): Promise<void> {
  // Without Slack there is no card: nothing to read it for.
  if (!deps.notifier.refreshCard) return;
  const release = await deps.store.get(releaseId);
  if (release) await deps.notifier.refreshCard(release);
}

export function createCardRefresher(deps: CardRefresherDeps, tuning: PumpTuning = {}): DuePump<DueMember> {
  const refresh = async ({ member }: DueMember): Promise<boolean> => {
    await refreshCardOf(deps, member);
    return true;
  };
  return new DuePump('card refresher', deps.cards, refresh, deps.log, { tickMs: 200, ...tuning });
}
