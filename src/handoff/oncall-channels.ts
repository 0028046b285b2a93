// Where shift handoffs go: every distinct `channels.on_call` the runbook names, for any service or
// environment (most teams have one). Each gets the whole picture. Pure.
import { listTargets } from '../config/runbook.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';

export function onCallChannels(ctx: RunbookContext): string[] {
  const found = new Set<string>();
  for (const t of listTargets(ctx.runbook)) {
    const channel = ctx.resolve(t.service, t.environment).channels.on_call;
    if (channel) found.add(channel);
  }
  return [...found];
}
