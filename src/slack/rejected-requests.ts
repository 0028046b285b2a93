// Slack requests Bolt's receiver turns away (401: a forged, stale or missing signature) are audited
// (SPEC 8), not only logged. Nothing from the request is trusted or kept but why it failed, and a flood
// of them is folded: at most one entry a second, the next one counting those in between.
import type { NextFunction, Request, Response } from 'express';
import type { AuditEntryInput } from '../store/audit-entry.ts';

/** Slack's replay window: a request signed longer ago than this is stale. */
const STALE_SECONDS = 5 * 60;
const FOLD_MS = 1000;

export type AuditAppend = (entry: AuditEntryInput) => Promise<unknown>;

/** Why a request's signature could not be trusted, read from its headers (for the audit only). */
export function rejectionReason(headers: Request['headers'], nowMs: number): string {
  const signature = headers['x-slack-signature'];
  const timestamp = Number(headers['x-slack-request-timestamp']);
  if (!signature || !Number.isFinite(timestamp)) return 'unsigned: no Slack signature or timestamp';
  if (Math.abs(nowMs / 1000 - timestamp) > STALE_SECONDS) return 'stale: signed more than 5 minutes ago';
  return 'forged: the signature does not match the signing secret';
}

/** Express middleware to mount before the receiver: audits each request it answers with 401. */
export function auditRejectedRequests(append: AuditAppend, onError: (err: unknown) => void) {
  let lastMs = 0;
  let folded = 0;
  return (req: Request, res: Response, next: NextFunction): void => {
    res.on('finish', () => {
      if (res.statusCode !== 401) return;
      const now = Date.now();
      if (now - lastMs < FOLD_MS) {
        folded += 1;
        return;
      }
      lastMs = now;
      const details = {
        reason: rejectionReason(req.headers, now),
        path: req.originalUrl.split('?')[0],
        ...(folded > 0 ? { alsoRejectedSinceLastEntry: folded } : {}),
      };
      folded = 0;
      append({ actor: 'unknown', action: 'slack.request_rejected', details }).catch(onError);
    });
    next();
  };
}
