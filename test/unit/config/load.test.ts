import { describe, expect, it } from 'vitest';
import { loadRunbook, resolveEnvironment } from '../../../src/config/runbook.ts';

// A valid runbook to break one piece at a time.
const BASE = `
version: 1
services:
  checkout:
    environments:
      production:
        actions:
          deploy: { command: ["./deploy.sh", "{{version}}"] }
          rollback: { command: ["./rollback.sh", "{{previous_version}}"] }
          page: { pagerduty: { routing_key: "\${PD_ROUTING_KEY}" } }
        gates:
          error_rate: { prometheus: { url: "http://prometheus:9090", query: "errors" }, max: 0.005 }
        stages: [deploy, { traffic: 10, gates: [error_rate] }]
`;
const ENV = { PD_ROUTING_KEY: 'R0UTINGKEY123' };

function problemsOf(text: string, env: Record<string, string | undefined> = ENV): string[] {
  const result = loadRunbook(text, env);
  if (result.ok) throw new Error('expected problems, the runbook loaded');
  return result.problems;
}

describe('${ENV} substitution', () => {
  it('replaces references with the environment value and reports the values as secrets', () => {
    const result = loadRunbook(BASE, ENV);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const page = resolveEnvironment(result.runbook, 'checkout', 'production').actions['page'];
    expect(page).toMatchObject({ pagerduty: { routing_key: 'R0UTINGKEY123' } });
    expect(result.secrets).toEqual(['R0UTINGKEY123']);
  });

  it('names a missing variable and the path that needs it', () => {
    expect(problemsOf(BASE, {})).toEqual([
      'services.checkout.environments.production.actions.page.pagerduty.routing_key: environment variable PD_ROUTING_KEY is not set',
    ]);
  });

  it('treats an empty variable as missing', () => {
    expect(problemsOf(BASE, { PD_ROUTING_KEY: '' })[0]).toContain(
      'environment variable PD_ROUTING_KEY is empty',
    );
  });

  it.each([
    ['"https://hooks/${HOOK_ID}/${HOOK_TOKEN}"', 'https://hooks/abc/tok3n-value', ['abc', 'tok3n-value']],
    ['"http://prometheus:9090/$$5/$${LITERAL}"', 'http://prometheus:9090/$$5/${LITERAL}', []],
  ])('substitutes inside strings: %s', (written, url, secrets) => {
    const text = BASE.replace('"http://prometheus:9090"', () => written);
    const result = loadRunbook(text, { ...ENV, HOOK_ID: 'abc', HOOK_TOKEN: 'tok3n-value' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const gate = resolveEnvironment(result.runbook, 'checkout', 'production').gates['error_rate'];
    expect(gate).toMatchObject({ prometheus: { url } });
    expect(result.secrets).toEqual(['R0UTINGKEY123', ...secrets]);
  });

  it('refuses a reference that is not a variable name', () => {
    const text = BASE.replace('"errors"', '"${not-a-name}"');
    expect(problemsOf(text)).toEqual([
      'services.checkout.environments.production.gates.error_rate.prometheus.query: "${not-a-name}" is not an environment variable reference (use ${NAME}, or $${ for a literal ${)',
    ]);
  });
});

describe('on_call_contact', () => {
  const withContact = (contact: string) =>
    BASE.replace('services:\n  checkout:\n', `services:\n  checkout:\n    on_call_contact: '${contact}'\n`);

  it.each([
    ['<@UCAROL>', 'UCAROL'],
    ['UCAROL', 'UCAROL'],
    ['<@UCAROL|carol>', 'UCAROL'],
    ['<!subteam^S0SRE>', 'S0SRE'],
    ['<!subteam^S0SRE|sre-oncall>', 'S0SRE'],
    ['S0SRE', 'S0SRE'],
  ])('takes %s as the id %s', (contact, id) => {
    const result = loadRunbook(withContact(contact), ENV);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(resolveEnvironment(result.runbook, 'checkout', 'production').onCallContact).toBe(id);
  });

  it.each(['@carol', 'carol', 'Carol Chen +1 555 0100', '<@carol>', '<#C0ONCALL>', '<!here>'])(
    'refuses %j with its path',
    (contact) => {
      expect(problemsOf(withContact(contact))).toEqual([
        expect.stringMatching(
          /^services\.checkout\.on_call_contact: expected a user or user group to mention: <@U…>, U…, <!subteam\^S…> or S…/,
        ),
      ]);
    },
  );
});

describe('every problem is reported, each with its path', () => {
  it('reports the example of the spec', () => {
    expect(problemsOf(BASE.replace('max: 0.005', 'max: "high"'))).toEqual([
      'services.checkout.environments.production.gates.error_rate.max: expected number, received string',
    ]);
  });

  it('lists every shape problem at once, along with missing variables', () => {
    const text = `
version: 1
defaults:
  on_breach: rolback
services:
  checkout:
    description: 42
    environments:
      production:
        approvals: { required: 2, approvers: [bob] }
        gates:
          error_rate: { prometheus: { url: u, query: q }, max: "high", for: soon }
        stages: [deploi, { traffic: ten }, { bake: true }, { traffic: 10, gatez: [error_rate] }]
        gate: {}
        previous_version: 1.2
        actions:
          page: { pagerduty: { routing_key: "\${PD_ROUTING_KEY}" } }
`;
    const P = 'services.checkout.environments.production';
    expect(problemsOf(text, {})).toEqual([
      `${P}.actions.page.pagerduty.routing_key: environment variable PD_ROUTING_KEY is not set`,
      'defaults.on_breach: expected one of "rollback", "pause" (got "rolback")',
      'services.checkout.description: expected string, received number (got 42): put it in quotes to make it a string',
      `${P}.approvals.approvers.0: expected a Slack user ID (U…) or user-group ID (S…) (got "bob")`,
      `${P}.gates.error_rate.prometheus.url: expected an absolute URL like https://example.com/path (got "u")`,
      `${P}.gates.error_rate.max: expected number, received string`,
      `${P}.gates.error_rate.for: expected a duration like 500ms, 30s, 5m or 1h, got "soon"`,
      `${P}.stages.0: expected one of "deploy", "smoke", or a stage with one of: traffic, approval, bake, run, deploy, smoke, flag (got "deploi")`,
      `${P}.stages.1.traffic: expected number, received string`,
      `${P}.stages.2.bake: expected a duration like 500ms, 30s, 5m or 1h`,
      `${P}.stages.3.gatez: unknown key (did you mean "gates"?)`,
      `${P}.previous_version: expected string, received number (got 1.2): put it in quotes to make it a string`,
      `${P}.gate: unknown key (did you mean "gates"?)`,
      // The stages are malformed but present, and no action could roll them back.
      `${P}.actions: no "rollback" or "traffic" action: a rollback would have nothing to run`,
    ]);
  });

  it.each([
    [
      'version: 2\nservices: {}\n',
      ['version: expected 1 (got 2)', 'services: at least one service is needed'],
    ],
    ['version: 1\n', ['services: missing (expected record)']],
    [
      'version: 1\nservices: { "bad name": {} }\n',
      [
        'services.bad name: "bad name" is not a valid name: expected a name of letters, digits, - and _',
        'services.bad name: no stages: list them under the environment, the service or defaults (e.g. [deploy, smoke])',
      ],
    ],
    ['- 1\n', ['(top level): expected object, received array']],
    [
      'version: 1\nservice: {}\n',
      ['services: missing (expected record)', 'service: unknown key (did you mean "services"?)'],
    ],
  ])('reports a malformed file: %j', (text, problems) => {
    expect(problemsOf(text)).toEqual(problems);
  });

  it('lists every reference problem, after inheritance, naming the environment an inherited value breaks', () => {
    const text = `
version: 1
defaults:
  stages: [deploy, { traffic: 10, gates: [error_rate] }, smoke]
  windows: { timezone: Mars/Olympus, allow: ["Funday 10:00-11:00"] }
services:
  checkout:
    actions:
      deploy: { command: ["./deploy.sh", "{{verison}}"] }
      rollback: { command: ["./rollback.sh"] }
      smoke: { http: { url: "https://api/health" } }
    gates:
      error_rate: { http: { url: "https://api/stats", path: errors.rate }, min: 5, max: 1 }
  search:
    actions:
      traffic: { webhook: { url: "https://lb/{{percent}}" } }
    stages: [{ run: reindex }, { bake: 10m, gates: [latency] }]
    preflight:
      - { id: backup, title: Backup, manual: true }
      - { id: backup, title: Backup again, manual: true }
    approvals: { required: 3, approvers: [U1, U2] }
    verify_rollback: true
handoff: { schedule: "0 25 * * *", timezone: Nowhere/City }
`;
    expect(problemsOf(text)).toEqual([
      'defaults.windows.timezone: unknown time zone "Mars/Olympus" (use an IANA name like America/Los_Angeles, Europe/Paris or UTC)',
      'defaults.windows.allow.0: "funday" is not a day or day range; use a form like "Tue-Thu 10:00-16:00", "Mon,Wed 09:00-12:00" or "always"',
      'services.checkout.actions.deploy.command.1: unknown placeholder {{verison}} (known: version, previous_version, service, environment, percent, release_id, requester)',
      'services.checkout.gates.error_rate: min (5) must not be above max (1), or the gate always breaches',
      'handoff.schedule: "0 25 * * *" is not a cron expression (minute hour day-of-month month weekday, like "0 9 * * 1-5")',
      'handoff.timezone: unknown time zone "Nowhere/City" (use an IANA name like America/Los_Angeles, Europe/Paris or UTC)',
      'services.search.preflight.1.id: "backup" is used by an earlier pre-flight item',
      'services.search.stages.0.run: no action named "reindex" (defined: traffic)',
      'services.search.stages.1.gates.0: no gate named "latency" (no gates are defined)',
      'services.search.verify_rollback: verify_rollback needs a "smoke" action to verify with',
      'services.search.approvals.required: 3 approvals are required but only 2 approvers are listed',
    ]);
  });

  it('names the service and environment when an inherited stage lacks its action', () => {
    const text = `
version: 1
defaults:
  stages: [deploy, smoke]
  actions: { rollback: { command: [./rollback.sh] } }
services:
  checkout:
    actions: { deploy: { command: [./deploy.sh] }, smoke: { command: [./smoke.sh] } }
  api:
    environments:
      staging: {}
      production:
        actions: { deploy: { command: [./deploy.sh] } }
`;
    expect(problemsOf(text)).toEqual([
      'defaults.stages.0: a deploy stage needs a "deploy" action (in api/staging)',
      'defaults.stages.1: a smoke stage needs a "smoke" action (in api/staging)',
      'defaults.stages.1: a smoke stage needs a "smoke" action (in api/production)',
    ]);
  });

  it.each([
    [
      'no stages anywhere',
      'stages: [deploy]',
      '',
      'services.api: no stages: list them under the environment, the service or defaults (e.g. [deploy, smoke])',
    ],
    [
      'an empty stage list',
      'stages: [deploy]',
      'stages: []',
      'services.api.stages: no stages: list them under the environment, the service or defaults (e.g. [deploy, smoke])',
    ],
    [
      'nothing to roll back with',
      'rollback: { command: [./rollback.sh] }',
      '',
      'services.api.actions: no "rollback" or "traffic" action: a rollback would have nothing to run',
    ],
    [
      'an empty environments map',
      'stages: [deploy]',
      'stages: [deploy]\n    environments: {}',
      'services.api.environments: no environments; name at least one, or remove the key to use defaults.environment (production)',
    ],
  ])('reports %s', (_label, from, to, problem) => {
    const text = `
version: 1
services:
  api:
    actions: { deploy: { command: [./deploy.sh] }, rollback: { command: [./rollback.sh] } }
    stages: [deploy]
`.replace(from, to);
    expect(problemsOf(text)).toEqual([problem]);
  });
});

describe('gate bounds and paths', () => {
  it('loads a gate whose min equals its max (a value equal to a bound passes)', () => {
    const text = BASE.replace('max: 0.005', 'min: 1, max: 1');
    expect(loadRunbook(text, ENV).ok).toBe(true);
  });

  it('refuses an http gate path the sampler could not follow, and takes $ as the body itself', () => {
    const gate = (path: string) =>
      BASE.replace(
        '{ prometheus: { url: "http://prometheus:9090", query: "errors" }, max: 0.005 }',
        () => `{ http: { url: "http://metrics:8080/rate", path: '${path}' }, max: 0.005 }`,
      );
    expect(problemsOf(gate('data.items[*].v'))[0]).toMatch(
      /^services\.checkout\.environments\.production\.gates\.error_rate\.http\.path: cannot read the path "data\.items\[\*\]\.v"/,
    );
    expect(loadRunbook(gate('$'), ENV).ok).toBe(true);
    expect(loadRunbook(gate('$.data.rate'), ENV).ok).toBe(true);
  });
});

describe('YAML', () => {
  it.each([
    [
      'services: [1, 2\nversion: 1\n',
      'line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    ['version: 1\nversion: 1\n', 'line 2, column 1: Map keys must be unique'],
    [
      'version: 1\n  services: {}\n',
      'line 1, column 10: Nested mappings are not allowed in compact mappings',
    ],
  ])('reports syntax errors with their line: %j', (text, problem) => {
    expect(problemsOf(text)[0]).toContain(problem);
  });

  it('reports an empty file', () => {
    expect(problemsOf('')).toEqual([
      '(top level): the file is empty; a runbook starts with "version: 1" and lists its services',
    ]);
  });

  it('supports merge keys to share blocks between environments', () => {
    const result = loadRunbook(
      `
version: 1
services:
  api:
    environments:
      staging: &common
        actions: { deploy: { command: [./deploy.sh] }, rollback: { command: [./rollback.sh] } }
        stages: [deploy]
      production:
        <<: *common
        on_breach: pause
`,
      {},
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(resolveEnvironment(result.runbook, 'api', 'production').stages).toEqual(['deploy']);
  });

  it('loads the example of SPEC section 5 as written', () => {
    const result = loadRunbook(SPEC_EXAMPLE, {
      DEPLOY_HOOK_SECRET: 'hook-secret-value',
      PD_ROUTING_KEY: 'pd-routing-key',
    });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});

// SPEC section 5, verbatim.
const SPEC_EXAMPLE = `
version: 1
defaults:
  environment: production
channels:                 # channel IDs or #names
  releases: "#releases"
  on_call: "#on-call"
  incidents: "#incidents"
services:
  checkout:
    previous_version: v1.2.2   # only needed before Runway has completed a release of this service
    environments:
      production:
        approvals: { required: 2, approvers: ["S0SRETEAM"], allow_self_approval: false }
        windows: { timezone: America/Los_Angeles, allow: ["Tue-Thu 10:00-16:00"] }
        preflight:
          - id: ci
            title: All CI checks passing
            check: { http: { url: "https://ci.example.com/status/{{version}}", expect_status: 200 } }
          - id: backup
            title: Database backup completed
            manual: true
        actions:
          deploy:   { command: ["./ops/deploy.sh", "{{version}}"], timeout: 10m }
          traffic:  { webhook: { url: "https://deploy.example.com/traffic", body: { weight: "{{percent}}" }, secret: "\${DEPLOY_HOOK_SECRET}" } }
          smoke:    { http: [ { url: "https://api.example.com/health", expect_status: 200, expect_json: { status: healthy } } ] }
          rollback: { command: ["./ops/rollback.sh", "{{previous_version}}"] }
          page:     { pagerduty: { routing_key: "\${PD_ROUTING_KEY}" } }
        gates:
          error_rate:
            prometheus: { url: "http://prometheus:9090", query: 'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))' }
            max: 0.005
            for: 5m        # breach must last this long before on_breach fires
            every: 30s     # sampling interval
          p99_latency:
            prometheus: { url: "http://prometheus:9090", query: 'histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket[5m])) by (le))' }
            max: 5
            for: 10m
        stages:
          - deploy
          - { traffic: 10, hold: 30m, gates: [error_rate, p99_latency] }
          - { traffic: 50, hold: 1h, gates: [error_rate, p99_latency] }
          - { approval: "Promote to 100%?" }
          - { traffic: 100 }
          - smoke
          - { bake: 30m, gates: [error_rate] }
        on_breach: rollback          # or: pause
        rollback_incident: sev2      # declare an incident when an automatic rollback fires; or: none
handoff:
  schedule: "0 9 * * 1-5"          # shift handoff, cron
  timezone: Europe/Paris
  links: { dashboard: "https://grafana.example.com/d/production" }
`;
