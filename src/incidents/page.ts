// Sends one paging event for an incident through the runbook's `page` action. PagerDuty gets Events
// API v2 events keyed by the incident id (dedup_key): trigger on declare, acknowledge on Acknowledge,
// resolve on resolve. Any other action kind (a webhook, a command) is run once, on trigger, with the
// incident id as its idempotency key. Never throws; never returns the routing key.
import { runAction } from '../actions/run-action.ts';
import { sendPagerDutyEvent, type PagerDutySeverity } from '../actions/pagerduty.ts';
import type { RetryOptions } from '../actions/http-retry.ts';
import type { ActionConfig } from '../config/schema.ts';
import type { TemplateVars } from '../config/template.ts';
import type { Logger } from '../log.ts';
import type { Severity } from '../release/types.ts';
import type { PageEvent } from './jobs.ts';
import type { Incident } from './types.ts';

export interface PageOutcome {
  ok: boolean;
  summary: string;
  retryable: boolean;
}

const PD_SEVERITY: Record<Severity, PagerDutySeverity> = {
  sev1: 'critical',
  sev2: 'error',
  sev3: 'warning',
  sev4: 'info',
};

/** "[SEV1] Checkout errors after v1.2.3 (checkout v1.2.3 in production)". */
export function pageSummary(i: Incident): string {
  const release = i.release ? ` (${i.release.service} ${i.release.version} in ${i.release.environment})` : '';
  return `[${i.severity.toUpperCase()}] ${i.title}${release}`;
}

/** Custom details for PagerDuty: enough to find the incident in Slack. */
export function pageDetails(i: Incident, slackLink: string): Record<string, string> {
  return {
    incident: i.id,
    severity: i.severity,
    slack_channel: slackLink,
    declared_by: i.declaredBy,
    ...(i.commander ? { commander: i.commander } : {}),
    ...(i.release
      ? {
          release: i.release.id,
          service: i.release.service,
          version: i.release.version,
          environment: i.release.environment,
        }
      : {}),
    ...(i.reason ? { reason: i.reason.slice(0, 500) } : {}),
  };
}

export interface SendPageOptions {
  event: PageEvent;
  slackLink: string;
  log: Logger;
  retry?: RetryOptions;
  signal?: AbortSignal;
}

/** Null when this kind of action has nothing to send for the event (a webhook is only triggered). */
export async function sendPage(
  config: ActionConfig,
  incident: Incident,
  options: SendPageOptions,
): Promise<PageOutcome | null> {
  if ('pagerduty' in config) {
    const sent = await sendPagerDutyEvent(
      config.pagerduty,
      {
        action: options.event,
        dedupKey: incident.id,
        ...(options.event === 'trigger'
          ? {
              summary: pageSummary(incident),
              severity: PD_SEVERITY[incident.severity],
              details: pageDetails(incident, options.slackLink),
            }
          : {}),
      },
      { ...(options.retry ?? { retries: 0 }), ...(options.signal ? { signal: options.signal } : {}) },
    );
    return { ok: sent.ok, summary: sent.summary, retryable: sent.retryable };
  }
  if (options.event !== 'trigger') return null;
  const result = await runAction(
    config,
    {
      vars: pageVars(incident),
      idempotencyKey: `${incident.id}-page`,
      signal: options.signal ?? new AbortController().signal,
      log: options.log.child({ incidentId: incident.id }),
    },
    options.retry ?? { retries: 0 },
  );
  return { ok: result.ok, summary: result.summary, retryable: result.retryable };
}

/** Template values for a page action: the release's when the incident has one, else its target's. */
export function pageVars(i: Incident): TemplateVars {
  if (i.release) {
    return {
      service: i.release.service,
      environment: i.release.environment,
      version: i.release.version,
      previous_version: i.release.previousVersion,
      release_id: i.release.id,
    };
  }
  return i.target ? { service: i.target.service, environment: i.target.environment } : {};
}
