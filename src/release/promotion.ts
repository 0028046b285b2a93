// Promotion between environments (SPEC section 10): a start in an environment that promotes from
// another is allowed once this exact version completed there at least `soak` ago. Pure: the engine
// gathers the facts from the store (the source environment's history) and passes `now`.
import { formatDuration } from '../config/duration.ts';
import type { Outcome, Draft } from './draft.ts';
import type { Release, ReleaseEvent } from './types.ts';
import { note } from './draft.ts';

export interface PromotionFacts {
  service: string;
  environment: string;
  version: string;
  promotion: { from: string; soakMs: number };
  /** When this version last completed in `promotion.from` (ISO), or null when it never did. */
  completedAt: string | null;
  /** The newest version that completed in `promotion.from`, whatever it is (for the refusal). */
  latestThere: string | null;
}

export type PromotionVerdict =
  { ok: true } | { ok: false; missing: 'never_completed' | 'soaking'; leftMs?: number; reason: string };

/** Whether the version may start in the target environment, and if not, what is missing. */
export function promotionVerdict(facts: PromotionFacts, now: Date): PromotionVerdict {
  const { service, environment, version } = facts;
  const { from, soakMs } = facts.promotion;
  if (facts.completedAt === null) {
    const latest =
      facts.latestThere && facts.latestThere !== version
        ? ` (the last version completed there is ${facts.latestThere})`
        : ' (nothing has completed there yet)';
    return {
      ok: false,
      missing: 'never_completed',
      reason:
        `${service} ${environment} is promoted from ${from}: ${version} has never completed in ${from}${latest}. ` +
        `Release ${version} to ${from} first, or use --hotfix "reason".`,
    };
  }
  const soakedMs = now.getTime() - Date.parse(facts.completedAt);
  if (soakedMs >= soakMs) return { ok: true };
  const leftMs = soakMs - Math.max(0, soakedMs);
  return {
    ok: false,
    missing: 'soaking',
    leftMs,
    reason:
      `${service} ${environment} is promoted from ${from} after a soak of ${formatDuration(soakMs)}: ` +
      `${version} completed in ${from} ${formatDuration(Math.max(0, soakedMs))} ago, ` +
      `${formatDuration(leftMs)} left. Try again then, or use --hotfix "reason".`,
  };
}

/** A refused promotion as start policy: a hotfix overrides it (audited), a dry run reports it. */
export function promotionPolicy(
  verdict: PromotionVerdict,
  options: { hotfix: boolean; dryRun: boolean },
): { refusal: string | null; overrides: string[]; notes: string[] } {
  if (verdict.ok) return { refusal: null, overrides: [], notes: [] };
  if (options.hotfix)
    return {
      refusal: null,
      overrides: [`hotfix override: ${verdict.reason.split(': ')[1] ?? verdict.reason}`],
      notes: [],
    };
  if (options.dryRun)
    return { refusal: null, overrides: [], notes: [`A real start would be refused: ${verdict.reason}`] };
  return { refusal: verdict.reason, overrides: [], notes: [] };
}

/** The release a start in `environment` promotes, when `source` may be promoted there. */
export function promotionRefusal(source: Release, environment: string): string | null {
  if (source.state !== 'completed' || source.kind !== 'release' || source.dryRun)
    return `Only a completed release can be promoted; ${source.service} ${source.version} in ${source.environment} is not.`;
  if (!(source.plan.promotesTo ?? []).includes(environment))
    return `${source.service} ${environment} does not promote from ${source.environment}.`;
  return null;
}

/** A release promoted from this one got its card: link to it from this card and thread (once). */
export function onPromotionLinked(d: Draft, e: Extract<ReleaseEvent, { type: 'promotionLinked' }>): Outcome {
  const r = d.r;
  const links = r.promotedTo ?? [];
  if (!e.link.card || links.some((l) => l.releaseId === e.link.releaseId)) return 'ignored';
  r.promotedTo = [...links, e.link];
  d.fx.push({ type: 'updateCard' });
  d.fx.push({
    type: 'audit',
    action: 'release.promoted',
    actor: e.by,
    details: { to: e.link.environment, releaseId: e.link.releaseId },
  });
  note(d, { kind: 'promotionStarted', by: e.by, environment: e.link.environment, card: e.link.card });
  return 'applied';
}
