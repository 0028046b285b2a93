// Links a release to its incident: `incidentId` on the release (a compare-and-set save with no effects,
// like the engine's attachCard) and an audit entry naming both, so each one's trail shows the other.
import type { Release } from '../release/types.ts';
import type { ReleaseStore } from '../store/release-store.ts';

const MAX_WRITE_ATTEMPTS = 20;

export async function linkReleaseToIncident(
  releases: ReleaseStore,
  releaseId: string,
  incidentId: string,
): Promise<Release | null> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await releases.get(releaseId);
    if (!current) return null;
    if (current.incidentId === incidentId) return current;
    const next: Release = { ...current, incidentId, rev: current.rev + 1 };
    const audit = [
      {
        actor: 'runway',
        action: 'release.incident_linked',
        releaseId,
        incidentId,
        service: current.service,
        environment: current.environment,
        details: { incidentId },
      },
    ];
    if (await releases.save(next, current.rev, { effects: [], audit })) return next;
  }
  throw new Error(`release ${releaseId}: could not link incident ${incidentId}`);
}
