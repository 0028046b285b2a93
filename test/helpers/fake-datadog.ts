// A fake Datadog metrics query API v1, written from its documentation
// (docs.datadoghq.com/api/latest/metrics/#query-timeseries-points):
//   GET /api/v1/query?from=<s>&to=<s>&query=<q>, headers DD-API-KEY and DD-APPLICATION-KEY
//   200 { status: "ok", res_type: "time_series", query, from_date, to_date (ms), group_by,
//         series: [{ metric, display_name, scope, expression, pointlist: [[ms, value|null]], … }] }
//   400 { errors: ["Error parsing query: …"] } · 403 { errors: ["Forbidden"] } (a bad API or app key)
import { sendJson, startServer, type TestServer } from './http-server.ts';

export interface FakeSeries {
  scope?: string;
  points: [number, number | null][];
}

export interface FakeDatadog {
  url: string;
  server: TestServer;
  apiKey: string;
  appKey: string;
  /** The series a query returns (by default none). */
  series: (query: string) => FakeSeries[] | 'bad query';
  close(): Promise<void>;
}

export async function startFakeDatadog(apiKey: string, appKey: string): Promise<FakeDatadog> {
  const fake: Partial<FakeDatadog> = { apiKey, appKey, series: () => [] };
  const server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET' || url.pathname !== '/api/v1/query')
      return sendJson(res, 404, { errors: ['Not found'] });
    if (req.headers['dd-api-key'] !== fake.apiKey || req.headers['dd-application-key'] !== fake.appKey)
      return sendJson(res, 403, { errors: ['Forbidden'] });
    const from = Number(url.searchParams.get('from'));
    const to = Number(url.searchParams.get('to'));
    const query = url.searchParams.get('query') ?? '';
    if (!Number.isInteger(from) || !Number.isInteger(to) || from >= to || !query)
      return sendJson(res, 400, { errors: ['The value provided for parameter from/to/query is invalid'] });
    const series = fake.series!(query);
    if (series === 'bad query') return sendJson(res, 400, { errors: [`Error parsing query: ${query}`] });
    sendJson(res, 200, {
      status: 'ok',
      res_type: 'time_series',
      resp_version: 1,
      query,
      from_date: from * 1000,
      to_date: to * 1000,
      group_by: [],
      series: series.map((s, i) => ({
        metric: query,
        display_name: query,
        scope: s.scope ?? '*',
        expression: query,
        query_index: 0,
        aggr: 'avg',
        interval: 20,
        length: s.points.length,
        start: s.points[0]?.[0] ?? from * 1000,
        end: s.points[s.points.length - 1]?.[0] ?? to * 1000,
        tag_set: [],
        unit: null,
        pointlist: s.points,
        attributes: {},
        index: i,
      })),
    });
  });
  Object.assign(fake, { url: server.url, server, close: () => server.close() });
  return fake as FakeDatadog;
}
