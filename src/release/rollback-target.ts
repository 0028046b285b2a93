// Which finished release `/release rollback <service>` means when none is active: the newest one that
// left something of its version running. Pure: given the history newest first, one release at a time.
import type { Release } from './types.ts';

/**
 * Did the release change anything? Only a stage that started ran (or began to run) its action;
 * stages a release never reached are marked skipped when it ends, so the status alone cannot tell.
 * A rollback release has no stages of its own: its walk-back steps that ran are what it changed.
 */
export function touchedProduction(release: Release): boolean {
  if (release.dryRun) return false;
  if (release.stages.some((s) => s.startedAt !== undefined)) return true;
  return release.kind === 'rollback' && (release.rollback?.steps ?? []).some((s) => s.status !== 'waiting');
}

/**
 * A picker to feed the history newest first; it answers true for the release to roll back.
 * Skipped: dry runs and releases that never deployed (rejected, aborted before a stage ran), and any
 * version already reverted by a later rollback, so a second rollback goes one version further back
 * rather than "reverting" to what runs now. Taken: a completed release, or one aborted or failed
 * part-way (its version may be partly live and only a rollback takes it out).
 */
export function rollbackTargetPicker(): (release: Release) => boolean {
  const reverted = new Set<string>();
  return (release) => {
    if (!touchedProduction(release)) return false;
    if (release.state === 'rolled_back' || release.kind === 'rollback') {
      reverted.add(release.version);
      return false;
    }
    if (reverted.has(release.version)) return false;
    return release.state === 'completed' || release.state === 'aborted' || release.state === 'failed';
  };
}

/**
 * The stages a new walk back over `release` still has to undo: those that started, less those whose
 * undo already ran to the end in the release's own walk back (a walk stopped by a failed undo: a
 * second `/release rollback` after a human fixed it runs each undo once, not the done ones again).
 */
export function stagesLeftToUndo(release: Release): number[] {
  const undone = new Set(
    (release.rollback?.steps ?? []).flatMap((s) =>
      s.status === 'done' && s.stage !== undefined ? [s.stage] : [],
    ),
  );
  return release.stages.flatMap((s, i) => (s.startedAt !== undefined && !undone.has(i) ? [i] : []));
}
