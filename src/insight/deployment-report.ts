// What GitHub is told when a release ends (pure): its own deployment's final status, and — when a
// rollback put an earlier version back — a deployment of that version, so the Environments page shows
// what runs where. A rollback release (`/release rollback` of a finished one) has no deployment of its
// own: it restores its previous version over the one it rolls back.
import type { Release } from '../release/types.ts';

export type DeploymentOutcome = 'success' | 'failure' | 'error';

export interface EndReport {
  /** The release's own deployment (of its version), when it has one. */
  own?: { outcome: DeploymentOutcome; description: string };
  /** The version a rollback put back, and how the deployment it replaces is described. */
  restore?: {
    version: string;
    outcome: 'success' | 'error';
    restored: string;
    replaced: string;
    /** Only when the release's own deployment exists (it got as far as deploying). */
    onlyIfDeployed: boolean;
  };
}

export type EndedRelease = Pick<
  Release,
  'kind' | 'state' | 'version' | 'previousVersion' | 'rollback' | 'outcome'
>;

/** What GitHub is told about a release that ended, from its final state. */
export function deploymentOutcome(state: string): DeploymentOutcome | null {
  if (state === 'completed') return 'success';
  if (state === 'rolled_back') return 'failure';
  if (state === 'failed' || state === 'aborted') return 'error';
  return null;
}

export function endReport(release: EndedRelease): EndReport | null {
  const outcome = deploymentOutcome(release.state);
  if (!outcome) return null;
  const description = release.outcome ?? release.state;
  const back = release.rollback?.toVersion ?? release.previousVersion;
  if (release.kind === 'release') {
    if (release.state !== 'rolled_back' || !back) return { own: { outcome, description } };
    return {
      own: { outcome, description },
      restore: {
        version: back,
        outcome: 'success',
        restored: `Restored by the rollback of ${release.version}`,
        replaced: `Replaced by ${back} (rollback of ${release.version})`,
        onlyIfDeployed: true,
      },
    };
  }
  if (!back) return null;
  const done = release.state === 'rolled_back';
  return {
    restore: {
      version: back,
      outcome: done ? 'success' : 'error',
      restored: done ? `Rolled back from ${release.version}` : description,
      replaced: `Rolled back to ${back}: ${release.rollback?.reason ?? description}`,
      onlyIfDeployed: false,
    },
  };
}
