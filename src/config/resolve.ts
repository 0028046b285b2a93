// One service × environment with inheritance applied and every default filled in: what the rest of
// Runway reads instead of the raw file.
import type { ActionConfig, GateConfig, PreflightItemConfig, StageConfig } from './schema.ts';
import type { ChangelogConfig, GithubDeploymentsConfig } from '../insight/config.ts';
import { mergeLayers } from './merge.ts';
import { contactId } from './contact.ts';
import { layersFor, type Runbook } from './targets.ts';
import { parseWindow, type Windows } from './windows.ts';

export interface ResolvedEnvironment {
  service: string;
  environment: string;
  channels: { releases?: string; on_call?: string; incidents?: string };
  approvals: { required: number; approvers: string[]; operators: string[]; allowSelfApproval: boolean };
  windows: Windows;
  preflight: PreflightItemConfig[];
  actions: Record<string, ActionConfig>;
  gates: Record<string, GateConfig>;
  stages: StageConfig[];
  onBreach: 'rollback' | 'pause';
  rollbackIncident: 'sev1' | 'sev2' | 'sev3' | 'sev4' | 'none';
  verifyRollback: boolean;
  /** Starts are refused while an incident this severe or worse is open (none when unset). */
  freezeOnIncident: 'sev1' | 'sev2' | 'sev3' | 'sev4' | null;
  /** From the file, for the first release; afterwards the store knows the last completed version. */
  previousVersion: string | null;
  links: Record<string, string>;
  /** The bare user or group id (U…, S…) of `on_call_contact`. */
  onCallContact: string | null;
  /** SPEC section 12: where the changelog comes from, and the GitHub repository told of deployments. */
  changelog: ChangelogConfig | null;
  githubDeployments: GithubDeploymentsConfig | null;
  /** The environment this one promotes from, and how long a version must have run there (ms). */
  promotion: { from: string; soakMs: number } | null;
}

/** Throws for a target the runbook lacks or a window that does not parse: loadRunbook reports both first. */
export function resolveEnvironment(
  runbook: Runbook,
  service: string,
  environment: string,
): ResolvedEnvironment {
  const { settings } = mergeLayers(layersFor(runbook, service, environment));
  const allow = (settings.windows?.allow ?? []).map((text) => {
    const parsed = parseWindow(text);
    if (!parsed.ok) throw new Error(`${service}/${environment} windows: ${parsed.error}`);
    return parsed.window;
  });
  return {
    service,
    environment,
    channels: { ...settings.channels },
    approvals: {
      required: settings.approvals?.required ?? 1,
      approvers: settings.approvals?.approvers ?? [],
      operators: settings.approvals?.operators ?? [],
      allowSelfApproval: settings.approvals?.allow_self_approval ?? false,
    },
    windows: { timezone: settings.windows?.timezone ?? 'UTC', allow },
    preflight: settings.preflight ?? [],
    actions: settings.actions ?? {},
    gates: settings.gates ?? {},
    stages: settings.stages ?? [],
    onBreach: settings.on_breach ?? 'rollback',
    rollbackIncident: settings.rollback_incident ?? 'sev2',
    verifyRollback: settings.verify_rollback ?? false,
    freezeOnIncident: settings.freeze_on_incident ?? null,
    previousVersion: settings.previous_version ?? null,
    links: settings.links ?? {},
    onCallContact: settings.on_call_contact ? contactId(settings.on_call_contact) : null,
    changelog: settings.changelog ?? null,
    githubDeployments: settings.github_deployments ?? null,
    promotion: settings.promote_from ? { from: settings.promote_from, soakMs: settings.soak ?? 0 } : null,
  };
}
