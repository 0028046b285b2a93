// A click on a Home-tab link button ("Open card", "Open incident") through Bolt's real HTTP
// receiver: Slack sends block_actions for link buttons too, and a Home view has no response_url.
// It is acknowledged quietly: no "unknown button" audit, no error after ack().
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { SIGNING_SECRET, startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { interactivityBody, postSigned } from '../../helpers/slack-request.ts';

const redis = useRedis();
const running: SlackRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

const YAML = `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
services:
  checkout:
    previous_version: v1.2.2
    environments:
      production:
        approvals: { required: 0 }
        actions:
          deploy: { command: ["true"] }
          rollback: { command: ["true"] }
        stages:
          - deploy
`;

/** A block_actions payload as Slack sends it for a link button in the App Home. */
function homeClick(actionId: string): string {
  return interactivityBody({
    type: 'block_actions',
    user: { id: 'UALICE', username: 'alice', name: 'alice', team_id: 'T0RUNWAY1' },
    api_app_id: 'A0RUNWAY1',
    token: 'verification-token',
    container: { type: 'view', view_id: 'VHOME1' },
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    team: { id: 'T0RUNWAY1', domain: 'runway-sandbox' },
    enterprise: null,
    is_enterprise_install: false,
    view: { id: 'VHOME1', type: 'home', blocks: [], state: { values: {} }, hash: 'h1' },
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'home-active-1',
        text: { type: 'plain_text', text: 'Open card', emoji: true },
        url: 'https://runway-sandbox.slack.com/archives/CRELEASES/p1700000000000100',
        action_ts: '1700000000.000200',
      },
    ],
  });
}

describe('Home-tab link buttons', () => {
  it.each(['home-open-card-1', 'home-open-incident-2'])(
    'acks a click on %s quietly: no audit entry, no error',
    async (actionId) => {
      const r = await startSlackRunway(redis.url, YAML, { workers: false });
      running.push(r);
      const response = await postSigned(r.appUrl, SIGNING_SECRET, homeClick(actionId));
      expect(response.status).toBe(200);
      // Listeners run after the ack; give them time to (wrongly) audit or fail.
      await new Promise((done) => setTimeout(done, 500));
      const audit = [];
      for await (const entry of r.runtime.audit.since()) audit.push(entry);
      expect(audit).toEqual([]);
      expect(r.lines.filter((l) => /unhandled error|unknown button|"level":50/.test(l))).toEqual([]);
    },
  );
});
