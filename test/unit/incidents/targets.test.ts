import { describe, expect, it } from 'vitest';
import {
  approverIds,
  incidentSettings,
  incidentsChannel,
  incidentTarget,
} from '../../../src/incidents/targets.ts';
import { onCallChannels } from '../../../src/handoff/oncall-channels.ts';
import { loadTestRunbook } from '../../helpers/runway.ts';

const book = loadTestRunbook(`
version: 1
defaults: { environment: production, stages: [deploy], actions: { deploy: { command: [echo] }, rollback: { command: [echo] } } }
channels: { on_call: "#on-call" }
services:
  search:
    environments:
      staging: { approvals: { approvers: [UDEV] } }
      production:
        approvals: { approvers: [UERIN] }
        channels: { on_call: "#search-on-call" }
  checkout:
    on_call_contact: UONCALL
    environments:
      staging: {}
      production:
        approvals: { approvers: [S0SRETEAM, UBOB] }
        channels: { incidents: "#checkout-incidents" }
        actions:
          page: { pagerduty: { routing_key: "R0UTINGKEY1234567890abcdef123456" } }
incidents: { sev1_reminder: 2m, channel_prefix: incident }
`);

describe('which runbook settings an incident uses', () => {
  it('takes the release’s service and environment when there is one', () => {
    expect(incidentTarget(book, { service: 'search', environment: 'staging' })).toEqual({
      service: 'search',
      environment: 'staging',
    });
  });

  it('takes the default environment of the first service with a page action for a manual incident', () => {
    expect(incidentTarget(book)).toEqual({ service: 'checkout', environment: 'production' });
  });

  it('announces in the target’s incidents channel, else the first one named', () => {
    expect(incidentsChannel(book, { service: 'checkout', environment: 'production' })).toBe(
      '#checkout-incidents',
    );
    expect(incidentsChannel(book, { service: 'search', environment: 'production' })).toBe(
      '#checkout-incidents',
    );
  });

  it('invites the target’s approvers and on-call contact, or everyone’s for a manual incident', () => {
    expect(approverIds(book, { service: 'checkout', environment: 'production' }, false)).toEqual([
      'S0SRETEAM',
      'UBOB',
      'UONCALL',
    ]);
    expect(approverIds(book, { service: 'checkout', environment: 'production' }, true)).toEqual([
      'UDEV',
      'UERIN',
      'S0SRETEAM',
      'UBOB',
      'UONCALL',
    ]);
  });

  it('reads the incidents settings', () => {
    expect(incidentSettings(book)).toEqual({ sev1ReminderMs: 120_000, channelPrefix: 'incident' });
  });

  it('posts shift handoffs to every distinct on-call channel', () => {
    expect(onCallChannels(book)).toEqual(['#on-call', '#search-on-call']);
  });
});
