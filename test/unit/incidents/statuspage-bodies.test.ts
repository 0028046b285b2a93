// What Runway sends Statuspage: the open, update and resolve bodies, and Slack text made public.
import { describe, expect, it } from 'vitest';
import { openBody, publicText, resolveBody, updateBody } from '../../../src/incidents/statuspage.ts';
import { statuspageSchema } from '../../../src/config/statuspage-schema.ts';

const config = statuspageSchema.parse({ page_id: 'p1', api_key: 'k3y5', components: ['c1', 'c2'] });

describe('statuspage bodies', () => {
  it.each([
    ['sev1', 'critical', 'major_outage'],
    ['sev2', 'major', 'partial_outage'],
  ] as const)('a %s opens investigating, impact %s, components %s', (severity, impact, down) => {
    expect(openBody(config, { id: 'inc-1', title: 'Payments down', severity })).toEqual({
      incident: {
        name: 'Payments down',
        status: 'investigating',
        impact_override: impact,
        body: 'We are investigating this issue.',
        component_ids: ['c1', 'c2'],
        components: { c1: down, c2: down },
        metadata: { runway: { incident_id: 'inc-1' } },
        deliver_notifications: true,
      },
    });
  });

  it('resolves with the components operational and the summary as the last update', () => {
    expect(resolveBody(config, 'Flag rolled back')).toEqual({
      incident: {
        status: 'resolved',
        body: 'Flag rolled back',
        component_ids: ['c1', 'c2'],
        components: { c1: 'operational', c2: 'operational' },
      },
    });
    expect((resolveBody(config).incident as { body: string }).body).toBe('This incident has been resolved.');
  });

  it('an update is a body only', () => {
    expect(updateBody('Error rate falling')).toEqual({ incident: { body: 'Error rate falling' } });
  });

  it.each([
    ['<@U123> is rolling back', 'is rolling back'],
    ['see <https://status.example.com|the dashboard>', 'see the dashboard'],
    ['see <https://example.com/x>', 'see https://example.com/x'],
    ['<!here> fixed in <#C123|ops>', 'fixed in'],
    ['plain text', 'plain text'],
  ])('%s → %s', (text, expected) => expect(publicText(text)).toBe(expected));
});
