// Releases written before action output was stored as data ({ summary, tail }) held it as text: a
// detail was `summary\n```tail````, and reasons and outcomes quoted such details, sometimes
// mid-sentence ("rollback failed (exit 1\n```…```)."). Reading one of those upgrades it in place, so
// nothing past the codec ever sees fenced text.
import type { ActionOutput, Release } from '../release/types.ts';

const FENCED = /[ \t]*\n?```([\s\S]*?)```/g;

/** The sentence without its fenced parts, and the fenced parts (the output tails). */
function unfence(text: string): { words: string; tails: string[] } | null {
  if (!text.includes('```')) return null;
  const tails: string[] = [];
  const rest = text.replace(FENCED, (_m, body: string) => {
    if (body.trim()) tails.push(body.trim());
    return '';
  });
  return {
    words: rest
      .replace(/\s*\n\s*/g, ' ')
      .replace(/```/g, "'''")
      .trim(),
    tails,
  };
}

/** An old detail string as an action output: fenced parts are the tail; else lines after the first. */
export function legacyDetail(text: string): ActionOutput {
  const fenced = unfence(text);
  if (fenced) {
    const tail = fenced.tails.join('\n…\n');
    return tail ? { summary: fenced.words, tail } : { summary: fenced.words };
  }
  const [first = '', ...lines] = text.split('\n');
  const tail = lines.join('\n').trim();
  return tail ? { summary: first, tail } : { summary: first };
}

/** An old reason: the sentence, and the tail it quoted (a reason without fences is kept as typed). */
export function legacyReason(text: string): { reason: string; tail?: string } {
  const fenced = unfence(text);
  if (!fenced) return { reason: text };
  const tail = fenced.tails.join('\n…\n');
  return tail ? { reason: fenced.words, tail } : { reason: fenced.words };
}

function upgradeDetail(holder: { detail?: unknown }): void {
  if (typeof holder.detail === 'string') holder.detail = legacyDetail(holder.detail);
}

function upgradeReason(holder: { reason: string; tail?: string } | undefined): void {
  if (!holder || typeof holder.reason !== 'string' || holder.tail !== undefined) return;
  const { reason, tail } = legacyReason(holder.reason);
  holder.reason = reason;
  if (tail !== undefined) holder.tail = tail;
}

/** Upgrades a release read from Redis in place; a release already in the current shape is untouched. */
export function upgradeLegacyOutput(release: Release): Release {
  for (const stage of release.stages ?? []) upgradeDetail(stage);
  for (const item of release.preflight ?? []) upgradeDetail(item);
  for (const step of release.rollback?.steps ?? []) upgradeDetail(step);
  upgradeReason(release.pause);
  upgradeReason(release.rollback);
  // The tails an outcome quoted are on the steps and reasons it was about: the sentence is enough.
  if (typeof release.outcome === 'string') release.outcome = legacyReason(release.outcome).reason;
  return release;
}
