// One `runway check` reports every problem: shape errors, value checks (URLs, time zones, windows,
// cron, placeholders) and cross-references together, each with its path.
import { describe, expect, it } from 'vitest';
import { crossReferenceProblems } from '../../../src/config/crossref.ts';
import { loadRunbook } from '../../../src/config/runbook.ts';

const P = 'services.checkout.environments.production';

// Valid, with one shape error: `no_data: maybe`. Each case below adds one more problem.
const BASE = `
version: 1
services:
  checkout:
    environments:
      production:
        windows: { timezone: America/Los_Angeles, allow: ["Tue-Thu 10:00-16:00"] }
        preflight:
          - { id: ci, title: CI green, check: { http: [ { url: "https://ci.example.com/status/{{version}}" } ] } }
        actions:
          deploy: { command: ["./deploy.sh", "{{version}}"] }
          rollback: { command: ["./rollback.sh", "{{previous_version}}"] }
          traffic: { webhook: { url: "https://lb.example.com/traffic", body: { weight: "{{percent}}" } } }
          smoke: { http: [ { url: "https://api.example.com/health" } ] }
          page: { pagerduty: { routing_key: R0UTINGKEY, url: "https://events.pagerduty.com/v2/enqueue" } }
          ship: { github_actions: { repo: acme/checkout, workflow: ship.yml, token: T0KEN, api_url: "https://api.github.com" } }
        gates:
          error_rate: { prometheus: { url: "http://prometheus:9090", query: errors }, max: 0.01, no_data: maybe }
          latency: { http: { url: "https://stats.example.com/p99", path: p99 }, max: 5 }
        stages:
          - deploy
          - { traffic: 10, hold: 30m, gates: [error_rate, latency] }
          - { run: ship }
          - smoke
handoff: { schedule: "0 9 * * 1-5", timezone: Europe/Paris }
`;
const SHAPE_ERROR = `${P}.gates.error_rate.no_data: expected one of "breach", "ignore", "wait" (got "maybe")`;

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  const result = loadRunbook(text, env);
  return result.ok ? [] : result.problems;
}

function edit(from: string, to: string): string {
  if (!BASE.includes(from)) throw new Error(`BASE has no ${from}`);
  return BASE.replace(from, () => to);
}

describe('value and reference problems are reported along with shape problems', () => {
  it('the base file has only its shape problem', () => {
    expect(problemsOf(BASE)).toEqual([SHAPE_ERROR]);
    expect(problemsOf(BASE.replace('no_data: maybe', 'no_data: ignore'))).toEqual([]);
  });

  it.each([
    [
      'a time zone that is not IANA',
      'timezone: America/Los_Angeles',
      'timezone: Mars/Olympus',
      `${P}.windows.timezone: unknown time zone "Mars/Olympus" (use an IANA name like America/Los_Angeles, Europe/Paris or UTC)`,
    ],
    [
      'a window ending after 24:00',
      'Tue-Thu 10:00-16:00',
      'Tue-Thu 10:00-26:00',
      `${P}.windows.allow.0: times are HH:MM between 00:00 and 24:00 (got "Tue-Thu 10:00-26:00")`,
    ],
    [
      'an unknown template variable',
      '{{previous_version}}',
      '{{previus_version}}',
      `${P}.actions.rollback.command.1: unknown placeholder {{previus_version}} (known: version, previous_version, service, environment, percent, release_id, requester)`,
    ],
    [
      'an unknown template variable in a pre-flight check',
      'status/{{version}}',
      'status/{{ver}}',
      `${P}.preflight.0.check.http.0.url: unknown placeholder {{ver}} (known: version, previous_version, service, environment, percent, release_id, requester)`,
    ],
    [
      'a stage naming an unknown gate',
      'gates: [error_rate, latency]',
      'gates: [error_rate, latncy]',
      `${P}.stages.1.gates.1: no gate named "latncy" (defined: error_rate, latency)`,
    ],
    [
      'run: naming an unknown action',
      '{ run: ship }',
      '{ run: shipit }',
      `${P}.stages.2.run: no action named "shipit" (defined: deploy, rollback, traffic, smoke, page, ship)`,
    ],
    [
      'a smoke stage without a smoke action',
      'smoke: { http',
      'smoke_test: { http',
      `${P}.stages.3: a smoke stage needs a "smoke" action`,
    ],
    [
      'a bad cron schedule',
      '"0 9 * * 1-5"',
      '"0 9 * *"',
      'handoff.schedule: "0 9 * *" is not a cron expression (minute hour day-of-month month weekday, like "0 9 * * 1-5")',
    ],
    [
      'a bad handoff time zone',
      'timezone: Europe/Paris',
      'timezone: Europe/Pariss',
      'handoff.timezone: unknown time zone "Europe/Pariss" (use an IANA name like America/Los_Angeles, Europe/Paris or UTC)',
    ],
    [
      'a gate whose min is not below its max',
      'max: 5 }',
      'min: 9, max: 5 }',
      `${P}.gates.latency: min (9) must not be above max (5), or the gate always breaches`,
    ],
    ['a gate without bounds', ', max: 5 }', ' }', `${P}.gates.latency: a gate needs min, max or both`],
    [
      'a duplicate pre-flight id',
      '          - { id: ci,',
      '          - { id: ci, title: Backup, manual: true }\n          - { id: ci,',
      `${P}.preflight.1.id: "ci" is used by an earlier pre-flight item`,
    ],
    [
      'a webhook url that is not a URL',
      'url: "https://lb.example.com/traffic"',
      'url: "not a url"',
      `${P}.actions.traffic.webhook.url: expected an absolute URL like https://example.com/path (got "not a url")`,
    ],
    [
      '{{percent}} outside the traffic action (it would fail when it runs)',
      'command: ["./deploy.sh", "{{version}}"]',
      'command: ["./deploy.sh", "{{version}}", "{{percent}}"]',
      `${P}.actions.deploy.command.2: {{percent}} only has a value in the traffic action (and in gates: the current traffic)`,
    ],
  ])('%s', (_label, from, to, problem) => {
    const problems = problemsOf(edit(from, to));
    expect(problems).toContain(SHAPE_ERROR);
    expect(problems).toContain(problem);
    expect(problems).toHaveLength(2);
  });

  it('reports all of them in one run, each once, with its path', () => {
    const text = edit('timezone: America/Los_Angeles', 'timezone: Mars/Olympus')
      .replace('10:00-16:00', '10:00-26:00')
      .replace('{{previous_version}}', '{{previus_version}}')
      .replace('[error_rate, latency]', '[error_rate, latncy]')
      .replace('{ run: ship }', '{ run: shipit }')
      .replace('smoke: { http', 'smoke_test: { http')
      .replace('"https://lb.example.com/traffic"', '"not a url"')
      .replace('"0 9 * * 1-5"', '"0 25 * * *"')
      .replace(
        'latency: { http: { url: "https://stats.example.com/p99", path: p99 }, max: 5 }',
        'latency: { http: { url: "ftp://stats.example.com/p99", path: p99 }, max: high }',
      );
    expect(problemsOf(text)).toEqual([
      `${P}.windows.timezone: unknown time zone "Mars/Olympus" (use an IANA name like America/Los_Angeles, Europe/Paris or UTC)`,
      `${P}.windows.allow.0: times are HH:MM between 00:00 and 24:00 (got "Tue-Thu 10:00-26:00")`,
      `${P}.actions.rollback.command.1: unknown placeholder {{previus_version}} (known: version, previous_version, service, environment, percent, release_id, requester)`,
      `${P}.actions.traffic.webhook.url: expected an absolute URL like https://example.com/path (got "not a url")`,
      SHAPE_ERROR,
      `${P}.gates.latency.http.url: expected an http:// or https:// URL (got "ftp://stats.example.com/p99")`,
      `${P}.gates.latency.max: expected number, received string`,
      'handoff.schedule: "0 25 * * *" is not a cron expression (minute hour day-of-month month weekday, like "0 9 * * 1-5")',
      `${P}.stages.1.gates.1: no gate named "latncy" (defined: error_rate, latency)`,
      `${P}.stages.2.run: no action named "shipit" (defined: deploy, rollback, traffic, smoke_test, page, ship)`,
      `${P}.stages.3: a smoke stage needs a "smoke" action`,
    ]);
  });
});

describe('URLs', () => {
  const URL_FIELDS: [string, string, string][] = [
    ['an http check', '"https://api.example.com/health"', `${P}.actions.smoke.http.0.url`],
    ['a webhook', '"https://lb.example.com/traffic"', `${P}.actions.traffic.webhook.url`],
    ['a pagerduty url', '"https://events.pagerduty.com/v2/enqueue"', `${P}.actions.page.pagerduty.url`],
    ['a github api_url', '"https://api.github.com"', `${P}.actions.ship.github_actions.api_url`],
    ['a prometheus gate', '"http://prometheus:9090"', `${P}.gates.error_rate.prometheus.url`],
    ['an http gate', '"https://stats.example.com/p99"', `${P}.gates.latency.http.url`],
  ];
  const VALID = BASE.replace('no_data: maybe', 'no_data: ignore');

  it.each(
    URL_FIELDS.flatMap(([field, from, path]) =>
      [
        ['not a url', 'expected an absolute URL like https://example.com/path (got "not a url")'],
        ['/health', 'expected an absolute URL like https://example.com/path (got "/health")'],
        [
          'example.com/health',
          'expected an absolute URL like https://example.com/path (got "example.com/health")',
        ],
        ['', 'expected an absolute URL like https://example.com/path (got "")'],
        ['ftp://example.com/x', 'expected an http:// or https:// URL (got "ftp://example.com/x")'],
        ['file:///etc/passwd', 'expected an http:// or https:// URL (got "file:///etc/passwd")'],
      ].map(([url, message]) => [field, url!, from, `${path}: ${message!}`]),
    ),
  )('flags %s url %j', (_field, url, from, problem) => {
    expect(problemsOf(VALID.replace(from, () => JSON.stringify(url)))).toEqual([problem]);
  });

  it.each(
    URL_FIELDS.flatMap(([field, from]) =>
      [
        'https://{{service}}.example.com/{{environment}}/deploy',
        'https://deploy.example.com/{{version}}?from={{previous_version}}&by={{requester}}',
        'http://127.0.0.1:8080/traffic/{{version}}#{{release_id}}',
        'HTTPS://Example.COM',
      ].map((url) => [field, url, from]),
    ),
  )('accepts %s url %j', (_field, url, from) => {
    expect(problemsOf(VALID.replace(from, () => JSON.stringify(url)))).toEqual([]);
  });

  it('points at a single pre-flight check where it is written, not at a list index', () => {
    const single = (url: string) =>
      VALID.replace(
        '{ http: [ { url: "https://ci.example.com/status/{{version}}" } ] }',
        () => `{ http: { url: "${url}" } }`,
      );
    expect(problemsOf(single('https://ci.example.com/{{version}}'))).toEqual([]);
    expect(problemsOf(single('ci.example.com'))).toEqual([
      `${P}.preflight.0.check.http.url: expected an absolute URL like https://example.com/path (got "ci.example.com")`,
    ]);
    expect(problemsOf(single('${CI_URL}'))).toEqual([
      `${P}.preflight.0.check.http.url: environment variable CI_URL is not set`,
    ]);
  });

  it('reports an unknown placeholder in a URL once, as a placeholder', () => {
    expect(
      problemsOf(VALID.replace('"https://lb.example.com/traffic"', '"https://{{host}}/traffic"')),
    ).toEqual([
      `${P}.actions.traffic.webhook.url: unknown placeholder {{host}} (known: version, previous_version, service, environment, percent, release_id, requester)`,
    ]);
  });

  it('reports a URL from a missing variable once, as the missing variable', () => {
    expect(problemsOf(VALID.replace('"https://lb.example.com/traffic"', '"${TRAFFIC_URL}"'))).toEqual([
      `${P}.actions.traffic.webhook.url: environment variable TRAFFIC_URL is not set`,
    ]);
  });

  it('checks a URL read from the environment, without printing it', () => {
    const text = VALID.replace('"https://lb.example.com/traffic"', '"${TRAFFIC_URL}"');
    expect(problemsOf(text, { TRAFFIC_URL: 'https://lb.example.com/t0ken' })).toEqual([]);
    expect(problemsOf(text, { TRAFFIC_URL: 'lb.example.com/t0ken' })).toEqual([
      `${P}.actions.traffic.webhook.url: expected an absolute URL like https://example.com/path (got "[redacted]")`,
    ]);
  });
});

describe('cross-references on a malformed document', () => {
  const stages = (list: string) => ({
    version: 1,
    services: {
      api: {
        actions: { deploy: {}, rollback: null },
        gates: { errors: 5 },
        stages: JSON.parse(list) as unknown,
      },
    },
  });

  it.each([
    ['nothing', undefined, []],
    ['a list', [1, 2], []],
    ['services as a list', { services: [{ api: {} }] }, []],
    ['a service that is not a mapping', { services: { api: 3, web: null } }, []],
    ['defaults that are not a mapping', { defaults: 'x', services: { api: {} } }, []],
    ['environments that are not a mapping', { services: { api: { environments: ['production'] } } }, []],
    [
      'an environment that is not a mapping',
      { services: { api: { environments: { production: 'yes' } } } },
      [],
    ],
    [
      'a malformed defaults.environment',
      { defaults: { environment: 'two words' }, services: { api: {} } },
      [],
    ],
    ['stages that are not a list', { services: { api: { stages: 'deploy' } } }, []],
    [
      'actions that are not a mapping',
      { services: { api: { actions: ['deploy'], stages: ['deploy'] } } },
      [],
    ],
    [
      'gates that are not a mapping',
      {
        services: {
          api: { actions: { rollback: {} }, gates: 'errors', stages: [{ bake: '1m', gates: ['errors'] }] },
        },
      },
      [],
    ],
    [
      'approvals that are not a mapping',
      { services: { api: { approvals: 2, stages: [] } } },
      [
        'services.api.stages: no stages: list them under the environment, the service or defaults (e.g. [deploy, smoke])',
      ],
    ],
    [
      'malformed stage entries',
      stages('[null, 5, "deploi", {"run": 7}, {"gates": "errors"}, {"gates": [1, null, "bad name"]}]'),
      [],
    ],
    [
      'malformed entries beside a bad reference',
      stages('[null, {"run": "reindex", "bogus": true}, {"traffic": "ten", "gates": ["errors", "latency"]}]'),
      [
        'services.api.stages.1.run: no action named "reindex" (defined: deploy, rollback)',
        'services.api.stages.2.gates.1: no gate named "latency" (defined: errors)',
      ],
    ],
    [
      'a name that only Object.prototype defines',
      stages('[{"run": "constructor"}, {"bake": "1m", "gates": ["toString"]}]'),
      [
        'services.api.stages.0.run: no action named "constructor" (defined: deploy, rollback)',
        'services.api.stages.1.gates.0: no gate named "toString" (defined: errors)',
      ],
    ],
    [
      'malformed stages overridden by a well-formed environment',
      {
        defaults: { stages: 'deploy' },
        services: {
          api: { actions: { rollback: {} }, environments: { production: { stages: ['deploy'] } } },
        },
      },
      ['services.api.environments.production.stages.0: a deploy stage needs a "deploy" action'],
    ],
    [
      'malformed actions in defaults, which may have defined anything',
      {
        defaults: { actions: 'x' },
        services: { api: { actions: { rollback: {} }, stages: ['deploy', { run: 'x' }] } },
      },
      [],
    ],
    [
      'malformed approvers',
      {
        services: {
          api: {
            actions: { deploy: {}, rollback: {} },
            stages: ['deploy'],
            approvals: { required: 3, approvers: ['U1', 7] },
          },
        },
      },
      [],
    ],
  ])('%s', (_label, raw, problems) => {
    expect(crossReferenceProblems(raw)).toEqual(problems);
  });
});
