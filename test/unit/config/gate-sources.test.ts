// `runway check` on the gate sources of SPEC section 11 and `incidents.statuspage`: each field checked
// where it is written, and credentials written in the file treated as secrets.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRunbook } from '../../../src/config/runbook.ts';

const G = 'services.checkout.gates.errors';

function runbook(gate: string, extra = ''): string {
  return `
version: 1
services:
  checkout:
    actions: { deploy: { command: [./deploy.sh] }, rollback: { command: [./rollback.sh] } }
    gates:
      errors:
        ${gate}
        max: 0.01
    stages: [deploy, { traffic: 10, gates: [errors] }]
${extra}`;
}

const problems = (text: string, env: Record<string, string> = {}) => {
  const result = loadRunbook(text, env);
  return result.ok ? [] : result.problems;
};

describe('gate sources in runway check', () => {
  it.each([
    [
      'prometheus with basic auth',
      'prometheus: { url: "https://prom.example.com", query: up, basic_auth: { username: runway, password: hunter22 } }',
    ],
    [
      'prometheus with a bearer token and a tenant header',
      'prometheus: { url: "https://mimir.example.com/prometheus", query: up, bearer_token: glc_x, headers: { X-Scope-OrgID: team-a } }',
    ],
    [
      'datadog',
      'datadog: { query: "avg:trace.http.request.errors{service:checkout}", site: datadoghq.eu, api_key: k1k1, app_key: k2k2, window: 5m }',
    ],
    [
      'cloudwatch metric',
      'cloudwatch: { region: eu-west-1, namespace: AWS/ApplicationELB, metric: HTTPCode_Target_5XX_Count, dimensions: { LoadBalancer: app/checkout/123 }, stat: Sum, period: 60 }',
    ],
    [
      'cloudwatch percentile',
      'cloudwatch: { region: us-east-1, namespace: AWS/Lambda, metric: Duration, stat: p99, period: 1m }',
    ],
    [
      'cloudwatch expression',
      'cloudwatch: { region: us-east-1, expression: "SELECT AVG(CPUUtilization) FROM SCHEMA(\\"AWS/EC2\\", InstanceId)", endpoint: "https://monitoring.us-east-1.amazonaws.com" }',
    ],
    [
      'newrelic',
      'newrelic: { account_id: 1234567, api_key: NRAK-X, nrql: "SELECT percentage(count(*), WHERE error IS true) FROM Transaction SINCE 5 minutes ago", region: eu }',
    ],
  ])('accepts %s', (_name, gate) => {
    expect(problems(runbook(gate))).toEqual([]);
  });

  it('reads an account id from the environment and a numeric basic-auth username (Grafana Cloud)', () => {
    const gate = (source: string) => {
      const loaded = loadRunbook(runbook(source), { NR_ACCOUNT_ID: '1234567', GC_TOKEN: 'glc_s3cr3t' });
      if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
      return loaded.runbook.services['checkout']?.gates?.['errors'];
    };
    expect(
      gate('newrelic: { account_id: "${NR_ACCOUNT_ID}", api_key: NRAK-X, nrql: "SELECT 1" }'),
    ).toMatchObject({
      newrelic: { account_id: 1234567 },
    });
    expect(
      gate(
        'prometheus: { url: "https://prometheus-prod-01.grafana.net/api/prom", query: up, basic_auth: { username: 123456, password: "${GC_TOKEN}" } }',
      ),
    ).toMatchObject({ prometheus: { basic_auth: { username: '123456' } } });
  });

  it.each([
    [
      'basic_auth without a password',
      'prometheus: { url: "https://p.example.com", query: up, basic_auth: { username: runway } }',
      `${G}.prometheus.basic_auth.password: missing (expected string)`,
    ],
    [
      'two ways to authenticate',
      'prometheus: { url: "https://p.example.com", query: up, bearer_token: t0k3n, basic_auth: { username: a, password: b0b0 } }',
      `${G}.prometheus: use one of bearer_token, basic_auth: each sets Authorization`,
    ],
    [
      'datadog without app_key',
      'datadog: { query: "avg:x{*}", api_key: k1k1 }',
      `${G}.datadog.app_key: missing (expected string)`,
    ],
    [
      'a datadog site written as a URL',
      'datadog: { query: "avg:x{*}", api_key: k1k1, app_key: k2k2, site: "https://datadoghq.eu" }',
      `${G}.datadog.site: expected a Datadog site like datadoghq.com or datadoghq.eu`,
    ],
    [
      'a datadog url that is not one',
      'datadog: { query: "avg:x{*}", api_key: k1k1, app_key: k2k2, url: proxy }',
      /datadog\.url: expected an absolute URL/,
    ],
    [
      'cloudwatch without a stat',
      'cloudwatch: { region: us-east-1, namespace: AWS/EC2, metric: CPUUtilization }',
      `${G}.cloudwatch.stat: a metric needs stat (or write a Metrics Insights expression instead)`,
    ],
    [
      'cloudwatch with a made-up stat',
      'cloudwatch: { region: us-east-1, namespace: AWS/EC2, metric: CPUUtilization, stat: Mean }',
      /cloudwatch\.stat: expected a statistic: Average, Sum/,
    ],
    [
      'cloudwatch with an expression and a metric',
      'cloudwatch: { region: us-east-1, expression: "SELECT 1", metric: CPUUtilization }',
      `${G}.cloudwatch: an expression stands alone: drop metric (or the expression)`,
    ],
    [
      'cloudwatch with a 45s period',
      'cloudwatch: { region: us-east-1, expression: "SELECT 1", period: 45s }',
      `${G}.cloudwatch.period: a CloudWatch period is 1s, 5s, 10s, 30s or a multiple of 60s`,
    ],
    [
      'cloudwatch in no region',
      'cloudwatch: { region: Ireland, expression: "SELECT 1" }',
      `${G}.cloudwatch.region: expected an AWS region like us-east-1`,
    ],
    [
      'cloudwatch looking back less than a period',
      'cloudwatch: { region: us-east-1, expression: "SELECT 1", period: 5m, window: 1m }',
      `${G}.cloudwatch.window: a window of 1m is shorter than the period (5m): no datapoint would ever fall in it`,
    ],
    [
      'newrelic in another region',
      'newrelic: { account_id: 1, api_key: NRAK-X, nrql: "SELECT 1", region: apac }',
      /newrelic\.region: expected one of "us", "eu"/,
    ],
    [
      'newrelic with a string account',
      'newrelic: { account_id: "acme", api_key: NRAK-X, nrql: "SELECT 1" }',
      `${G}.newrelic.account_id: expected number, received string`,
    ],
    [
      'an unknown placeholder in the NRQL',
      'newrelic: { account_id: 1, api_key: NRAK-X, nrql: "SELECT 1 WHERE v = \'{{build}}\'" }',
      /newrelic\.nrql: unknown placeholder \{\{build\}\}/,
    ],
  ])('reports %s', (_name, gate, message) => {
    const found = problems(runbook(gate));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('registers credentials written in the file as secrets, not only ${ENV} ones', () => {
    const loaded = loadRunbook(
      runbook(
        'datadog: { query: "avg:x{*}", api_key: plain-api-key-1, app_key: "${DD_APP_KEY}" }',
        'incidents:\n  statuspage: { page_id: abc123, api_key: plain-statuspage-key }\n',
      ),
      { DD_APP_KEY: 'env-app-key-2' },
    );
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.secrets).toEqual(
      expect.arrayContaining(['plain-api-key-1', 'env-app-key-2', 'plain-statuspage-key']),
    );
  });
});

describe('incidents.statuspage in runway check', () => {
  it('takes page_id, api_key, components and the default api_url', () => {
    const loaded = loadRunbook(
      runbook(
        'prometheus: { url: "http://p:9090", query: up }',
        'incidents:\n  statuspage: { page_id: kctbh9vrtdwd, api_key: k3y5, components: [8kbf7d35c070, vtnh60py4yd7] }\n',
      ),
      {},
    );
    expect(loaded.ok && loaded.runbook.incidents?.statuspage).toEqual({
      page_id: 'kctbh9vrtdwd',
      api_key: 'k3y5',
      components: ['8kbf7d35c070', 'vtnh60py4yd7'],
      api_url: 'https://api.statuspage.io/v1',
    });
  });

  it('reports a missing api_key and a malformed page id', () => {
    expect(
      problems(
        runbook(
          'prometheus: { url: "http://p:9090", query: up }',
          'incidents:\n  statuspage: { page_id: "my page" }\n',
        ),
      ),
    ).toEqual([
      'incidents.statuspage.page_id: expected a Statuspage page id (letters and digits) (got "my page")',
      'incidents.statuspage.api_key: missing (expected string)',
    ]);
  });
});

describe('the gate source and status page examples in runway.example.yml', () => {
  const example = readFileSync('runway.example.yml', 'utf8');
  /** The commented lines between two markers, uncommented (keeping their indentation relative to `#`). */
  const uncomment = (from: RegExp, to: RegExp | null) => {
    const lines = example.split('\n');
    const start = lines.findIndex((l) => from.test(l));
    const end = to ? lines.findIndex((l, i) => i > start && to.test(l)) : lines.length;
    expect(start).toBeGreaterThanOrEqual(0);
    return lines
      .slice(start + 1, end)
      .filter((l) => l.trim().startsWith('#'))
      .map((l) => l.replace(/^\s*# ?/, ''))
      .join('\n');
  };
  const env = {
    GRAFANA_CLOUD_TOKEN: 'glc_token_1',
    MIMIR_TOKEN: 'mimir_token_2',
    DD_API_KEY: 'dd_api_3',
    DD_APP_KEY: 'dd_app_4',
    NEW_RELIC_API_KEY: 'NRAK-5555',
    STATUSPAGE_API_KEY: 'sp_key_6',
  };

  it('every gate source example passes runway check', () => {
    const gates = uncomment(/# gate sources:$/, /# \(end of gate sources\)$/);
    const names = [...gates.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]);
    expect(names).toEqual([
      'errors_grafana_cloud',
      'errors_mimir',
      'errors_datadog',
      'alb_5xx',
      'lambda_errors',
      'errors_newrelic',
    ]);
    const text = `version: 1
services:
  checkout:
    actions: { deploy: { command: [./deploy.sh] }, rollback: { command: [./rollback.sh] } }
    gates:
${gates.replace(/^/gm, '    ')}
    stages: [deploy, { traffic: 10, gates: [${names.join(', ')}] }]
${uncomment(/^# incidents:$/, null) ? `incidents:\n${uncomment(/^# incidents:$/, null)}` : ''}
`;
    const loaded = loadRunbook(text, env);
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    if (loaded.ok) expect(loaded.runbook.incidents?.statuspage?.components).toHaveLength(2);
  });
});
