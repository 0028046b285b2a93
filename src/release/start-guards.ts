// Start guards of SPEC section 10: no start while an incident of the configured severity (or worse) is
// open, and no downgrade in disguise (a lower semver than the live one). Pure: the caller passes the
// open incidents and the live version.
import semver from 'semver';
import type { Severity } from './types.ts';
import { channelRef } from './person.ts';

const RANK: Record<Severity, number> = { sev1: 1, sev2: 2, sev3: 3, sev4: 4 };

/** True when `severity` is `threshold` or worse (sev1 is the worst). */
export function atLeastAsSevere(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] <= RANK[threshold];
}

/** What a start guard needs to know about an open incident. */
export interface OpenIncident {
  id: string;
  severity: Severity;
  title: string;
  /** Its Slack channel id. */
  channelId: string;
}

/** The open incidents that freeze starts under `freeze_on_incident: <setting>`, worst first. */
export function freezingIncidents(
  setting: Severity | undefined,
  open: readonly OpenIncident[],
): OpenIncident[] {
  if (!setting) return [];
  return open
    .filter((i) => atLeastAsSevere(i.severity, setting))
    .sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

/**
 * The sentence that blocks a start while such an incident is open, or null. Channels are neutral
 * `#{C…}` tokens (src/release speaks no Slack); the views turn them into channel links.
 */
export function incidentFreezeBlock(
  setting: Severity | undefined,
  open: readonly OpenIncident[],
): string | null {
  const freezing = freezingIncidents(setting, open);
  const first = freezing[0];
  if (!first) return null;
  const more = freezing.length > 1 ? ` (and ${freezing.length - 1} more)` : '';
  return `Releases are frozen while a ${setting} or worse incident is open: ${first.severity} ${first.id} "${first.title}" in ${channelRef(first.channelId)}${more}. Use --hotfix "reason" for an urgent fix, or resolve the incident first.`;
}

/** A version's semver, or null (a git SHA, or something semver does not read). */
function semverOf(version: string): string | null {
  const bare = version.startsWith('v') ? version.slice(1) : version;
  return semver.valid(bare);
}

/**
 * True when `version` is a lower semver than `live`. SHAs are never compared (they have no order);
 * pre-releases sort as semver says (1.3.0-rc.1 < 1.3.0).
 */
export function isDowngrade(version: string, live: string | null): boolean {
  if (!live) return false;
  const a = semverOf(version);
  const b = semverOf(live);
  if (!a || !b) return false;
  return semver.lt(a, b);
}

/** The refusal of a downgrade, pointing at the rollback that does it properly; null when not one. */
export function downgradeRefusal(input: {
  service: string;
  environment: string;
  version: string;
  live: string | null;
  /** The environment a bare `/release rollback <service>` means: other ones are named in the pointer. */
  defaultEnvironment?: string;
}): string | null {
  if (!isDowngrade(input.version, input.live)) return null;
  const where =
    input.defaultEnvironment === undefined || input.defaultEnvironment === input.environment
      ? ''
      : ` in ${input.environment}`;
  return `${input.version} is older than ${input.live}, which is live in ${input.service} ${input.environment}: that is a rollback. Use /release rollback ${input.service}${where} to ${input.version}, or add --downgrade if you really mean to release an older version.`;
}

/** A service × environment whose starts an open incident freezes right now (for the shift handoff). */
export interface IncidentFreeze {
  service: string;
  environment: string;
  setting: Severity;
  /** The worst open incident that freezes it. */
  incident: OpenIncident;
}

/** Which targets (with their `freeze_on_incident`) the open incidents freeze. */
export function incidentFreezes(
  targets: readonly { service: string; environment: string; setting: Severity | null }[],
  open: readonly OpenIncident[],
): IncidentFreeze[] {
  return targets.flatMap((t) => {
    const incident = t.setting ? freezingIncidents(t.setting, open)[0] : undefined;
    return incident && t.setting
      ? [{ service: t.service, environment: t.environment, setting: t.setting, incident }]
      : [];
  });
}
