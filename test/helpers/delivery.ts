// What the Slack delivery tests and bench/slack-delivery.ts share: a workspace with Slack's limits on,
// a runbook of many services released at once, and ways to read what the delivery layer posted.
import type { SlackRunway } from './slack-runway.ts';
import { BOT_TOKEN, SIGNING_SECRET } from './slack-runway.ts';
import { startTestWorkspace, type Message, type TestWorkspace } from './workspace.ts';
import type { SlackDelivery } from '../../src/slack/delivery/service.ts';

/** One service with one deploy stage: the smallest runbook that gives the delivery layer channels. */
export const ONE_STAGE_YAML = `
version: 1
channels: { releases: "#releases", on_call: "#on-call" }
services:
  checkout:
    environments:
      production:
        actions: { deploy: { command: ["true"] }, rollback: { command: ["true"] } }
        stages: [deploy]
`;

/**
 * A runbook of many services sharing one plan, every action `true`: what a busy company releasing
 * `services` at once looks like. `stages` are YAML flow items (`deploy`, `{ traffic: 50, hold: 2s }`).
 */
export function fleetRunbook(
  services: readonly string[],
  stages: readonly string[],
  actions: readonly string[],
): string {
  return `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
defaults:
  environment: production
  approvals: { required: 0 }
  actions:
${actions.map((a) => `    ${a}: { command: ["true"] }`).join('\n')}
  stages:
${stages.map((s) => `    - ${s}`).join('\n')}
services:
${services.map((n) => `  ${n}: {}`).join('\n')}
`;
}

/** The in-repo workspace with Slack's rate limits on. */
export function limitedWorkspace(): Promise<TestWorkspace> {
  return startTestWorkspace({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, rateLimits: true });
}

export function deliveryOf(r: SlackRunway): SlackDelivery {
  const delivery = r.runtime.slack?.delivery;
  if (!delivery) throw new Error('this runtime has no Slack delivery layer');
  return delivery as SlackDelivery;
}

/** `/release start <service> <version>` for every service at once, as alice in #releases. */
export async function startAll(
  r: SlackRunway,
  services: readonly string[],
  version = 'v1.0.0',
): Promise<void> {
  await Promise.all(
    services.map((s) => r.ws.slash('UALICE', 'CRELEASES', '/release', `start ${s} ${version}`)),
  );
}

/** The handoffs that reached #on-call so far. */
export function handoffs(r: SlackRunway): Message[] {
  return r.ws.store.history('CONCALL').filter((m) => m.text.startsWith('Release handoff'));
}

/** True once no channel has a post waiting. */
export async function deliveryIdle(r: SlackRunway): Promise<boolean> {
  return (await deliveryOf(r).depths()).every((d) => d.depth === 0);
}

/** The chat.postMessage calls Slack accepted for a channel, in order. */
export function posted(ws: TestWorkspace, channel: string) {
  return ws.calls('chat.postMessage').filter((c) => c.ok && c.args.channel === channel);
}

/** Queues `n` important lines `<tag> line <i>` for a channel, keyed `<tag>-<i>`. */
export async function queueLines(
  delivery: SlackDelivery,
  channel: string,
  n: number,
  tag: string,
): Promise<void> {
  for (let i = 1; i <= n; i++)
    await delivery.post({ key: `${tag}-${i}`, channel, text: `${tag} line ${i}`, kind: 'important' });
}

/** The q-quantile (0..1] of xs, nearest rank; 0 for none. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(s.length * q) - 1)] ?? 0;
}
