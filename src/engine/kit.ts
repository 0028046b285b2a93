// Helpers every part of the engine uses: results, audit of refusals, effects split from audit
// entries, release ids.
import { randomBytes } from 'node:crypto';
import type { RefusalCode } from '../errors.ts';
import type { Effect, Release, ReleaseEvent } from '../release/types.ts';
import { FINAL_STATES } from '../release/types.ts';
import type { AuditEntryInput } from '../store/audit-log.ts';
import type { OutboxEffect } from '../store/outbox.ts';
import { insightEffects } from '../insight/triggers.ts';
import type { EngineKit, Refused } from './types.ts';

export function refused(code: RefusalCode, reason: string): Refused {
  return { ok: false, code, reason };
}

export function badInput(reason: string): Refused {
  return refused('bad_input', reason);
}

export async function auditRefusal(
  kit: EngineKit,
  actor: string,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  await kit.audit.append({
    actor,
    action,
    ...(typeof details.releaseId === 'string' ? { releaseId: details.releaseId } : {}),
    ...(typeof details.service === 'string' ? { service: details.service } : {}),
    ...(typeof details.environment === 'string' ? { environment: details.environment } : {}),
    details,
  });
  kit.log.info({ actor, action, ...details }, 'refused');
}

/**
 * Audit effects are written with the release; every other effect goes to the outbox, with the insight
 * work the decision calls for (charts, samples, GitHub) so that it is as durable as the decision.
 * `before` is the release the decision was made on (null for a new release), `event` what it applied.
 */
export function splitEffects(
  release: Release,
  all: Effect[],
  before: Release | null = null,
  event?: ReleaseEvent,
): { effects: OutboxEffect[]; audit: AuditEntryInput[] } {
  const effects: Effect[] = [];
  const audit: AuditEntryInput[] = [];
  for (const fx of all) {
    if (fx.type === 'audit') {
      audit.push({
        actor: fx.actor,
        action: fx.action,
        releaseId: release.id,
        service: release.service,
        environment: release.environment,
        ...(fx.details ? { details: fx.details } : {}),
      });
    } else {
      effects.push(fx);
    }
  }
  return { effects: [...effects, ...insightEffects(before, release, effects, event)], audit };
}

/** `checkout-production-mfx3k2a-9f1c`: readable, sortable by time, no `:` (BullMQ job ids). */
export function newReleaseId(service: string, environment: string, now: Date): string {
  return `${service}-${environment}-${now.getTime().toString(36)}-${randomBytes(2).toString('hex')}`;
}

export function isFinal(release: Release): boolean {
  return FINAL_STATES.includes(release.state);
}
