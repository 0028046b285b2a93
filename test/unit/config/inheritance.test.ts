import { describe, expect, it } from 'vitest';
import {
  defaultEnvironment,
  findTarget,
  listTargets,
  loadRunbook,
  resolveEnvironment,
  soleService,
  type Runbook,
} from '../../../src/config/runbook.ts';

const LAYERED = `
version: 1
defaults:
  environment: staging
  channels: { releases: "#deploys", on_call: "#oncall-default" }
  approvals: { required: 1, operators: [S0OPS] }
  windows: { timezone: Europe/Paris }
  links: { dashboard: "https://grafana/d/all", runbook: "https://wiki/runbook" }
  actions:
    deploy: { command: ["./deploy.sh", "{{version}}"], timeout: 5m }
    rollback: { command: ["./rollback.sh", "{{previous_version}}"] }
  gates:
    errors: { prometheus: { url: "http://prometheus:9090", query: errors }, max: 0.01, for: 5m }
  stages: [deploy, { traffic: 100 }]
  on_breach: pause
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
services:
  checkout:
    channels: { releases: "#checkout-releases" }
    approvals: { required: 2 }
    links: { dashboard: "https://grafana/d/checkout" }
    gates:
      errors: { prometheus: { url: "http://prometheus:9090", query: checkout_errors }, max: 0.005 }
    stages: [deploy, { traffic: 10, gates: [errors] }, { traffic: 100 }]
    environments:
      production:
        channels: { on_call: "#checkout-oncall" }
        windows: { allow: ["Tue-Thu 10:00-16:00"] }
        actions:
          deploy: { webhook: { url: "https://deploy.example.com/checkout" } }
        stages: [deploy, { traffic: 50 }]
        previous_version: v1.0.0
        on_breach: rollback
      staging: {}
  search:
    previous_version: v2.0.0
    on_call_contact: "<!subteam^S0SEARCH|search-oncall>"
`;

function load(text: string): Runbook {
  const result = loadRunbook(text, {});
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.runbook;
}

describe('inheritance: defaults → service → environment, most specific wins', () => {
  const runbook = load(LAYERED);

  it('lists every service × environment; a service without environments has defaults.environment', () => {
    expect(listTargets(runbook)).toEqual([
      { service: 'checkout', environment: 'production' },
      { service: 'checkout', environment: 'staging' },
      { service: 'search', environment: 'staging' },
    ]);
    expect(defaultEnvironment(runbook)).toBe('staging');
    expect(soleService(runbook)).toBeNull();
  });

  it.each([
    [
      'checkout',
      'production',
      { releases: '#checkout-releases', on_call: '#checkout-oncall', incidents: '#incidents' },
    ],
    [
      'checkout',
      'staging',
      { releases: '#checkout-releases', on_call: '#oncall-default', incidents: '#incidents' },
    ],
    ['search', 'staging', { releases: '#deploys', on_call: '#oncall-default', incidents: '#incidents' }],
  ])('merges channels key by key from top-level channels up to %s/%s', (service, environment, channels) => {
    expect(resolveEnvironment(runbook, service, environment).channels).toEqual(channels);
  });

  it('merges approvals, windows and links key by key', () => {
    const production = resolveEnvironment(runbook, 'checkout', 'production');
    expect(production.approvals).toEqual({
      required: 2,
      approvers: [],
      operators: ['S0OPS'],
      allowSelfApproval: false,
    });
    expect(production.windows.timezone).toBe('Europe/Paris');
    expect(production.windows.allow.map((w) => w.text)).toEqual(['Tue-Thu 10:00-16:00']);
    expect(production.links).toEqual({
      dashboard: 'https://grafana/d/checkout',
      runbook: 'https://wiki/runbook',
    });
  });

  it('replaces a same-named action or gate whole instead of mixing fields', () => {
    const production = resolveEnvironment(runbook, 'checkout', 'production');
    expect(production.actions['deploy']).toMatchObject({
      webhook: { url: 'https://deploy.example.com/checkout' },
    });
    expect(production.actions['deploy']).not.toHaveProperty('timeout');
    expect(production.actions['rollback']).toMatchObject({
      command: ['./rollback.sh', '{{previous_version}}'],
    });
    // The service's gate has no `for`: it does not inherit the 5m of the defaults' gate of the same name.
    expect(production.gates['errors']).toMatchObject({
      prometheus: { query: 'checkout_errors' },
      max: 0.005,
      for: 0,
    });
    expect(resolveEnvironment(runbook, 'search', 'staging').gates['errors']).toMatchObject({
      max: 0.01,
      for: 300_000,
    });
  });

  it.each([
    ['checkout', 'production', ['deploy', { traffic: 50 }]],
    ['checkout', 'staging', ['deploy', { traffic: 10, gates: ['errors'] }, { traffic: 100 }]],
    ['search', 'staging', ['deploy', { traffic: 100 }]],
  ])('replaces the stage list whole (%s/%s)', (service, environment, stages) => {
    expect(resolveEnvironment(runbook, service, environment).stages).toEqual(stages);
  });

  it.each([
    ['checkout', 'production', 'rollback', 'v1.0.0', null],
    ['checkout', 'staging', 'pause', null, null],
    ['search', 'staging', 'pause', 'v2.0.0', 'S0SEARCH'],
  ])(
    'takes plain values from the most specific layer (%s/%s)',
    (service, environment, onBreach, previous, contact) => {
      const resolved = resolveEnvironment(runbook, service, environment);
      expect(resolved.onBreach).toBe(onBreach);
      expect(resolved.previousVersion).toBe(previous);
      expect(resolved.onCallContact).toBe(contact);
    },
  );

  it('throws for a target the runbook does not have', () => {
    expect(() => resolveEnvironment(runbook, 'search', 'production')).toThrow('no search/production');
    expect(() => resolveEnvironment(runbook, 'billing', 'staging')).toThrow('no billing/staging');
  });
});

describe('defaults when the runbook says nothing', () => {
  const runbook = load(`
version: 1
services:
  api:
    actions: { deploy: { command: [./deploy.sh] }, rollback: { command: [./rollback.sh] } }
    stages: [deploy]
`);

  it('fills every field', () => {
    expect(listTargets(runbook)).toEqual([{ service: 'api', environment: 'production' }]);
    expect(soleService(runbook)).toBe('api');
    const resolved = resolveEnvironment(runbook, 'api', 'production');
    expect(resolved).toMatchObject({
      channels: {},
      approvals: { required: 1, approvers: [], operators: [], allowSelfApproval: false },
      windows: { timezone: 'UTC', allow: [] },
      preflight: [],
      gates: {},
      onBreach: 'rollback',
      rollbackIncident: 'sev2',
      verifyRollback: false,
      previousVersion: null,
      links: {},
      onCallContact: null,
    });
  });
});

describe('findTarget', () => {
  const several = load(LAYERED);
  const single = load(`
version: 1
services:
  api:
    environments:
      production: { actions: { deploy: { command: [d] }, rollback: { command: [r] } }, stages: [deploy] }
`);

  it.each([
    [single, {}, { service: 'api', environment: 'production' }],
    [several, { service: 'search' }, { service: 'search', environment: 'staging' }],
    [
      several,
      { service: 'checkout', environment: 'production' },
      { service: 'checkout', environment: 'production' },
    ],
  ])('fills in what the command left out: %#', (runbook, wanted, target) => {
    expect(findTarget(runbook, wanted)).toEqual({ ok: true, target });
  });

  it.each([
    [several, {}, 'Which service? The runbook has checkout, search.'],
    [
      several,
      { service: 'billing' },
      'There is no service "billing" in the runbook; it has checkout, search.',
    ],
    [
      several,
      { service: 'search', environment: 'production' },
      'search has no environment "production"; it has staging.',
    ],
    [single, { environment: 'staging' }, 'api has no environment "staging"; it has production.'],
  ])('explains what is wrong: %#', (runbook, wanted, error) => {
    expect(findTarget(runbook, wanted)).toEqual({ ok: false, error });
  });
});
