// A fake New Relic NerdGraph, written from its documentation (docs.newrelic.com, "NerdGraph: query
// NRQL"): POST /graphql, headers API-Key and Content-Type: application/json, body { query, variables }
// asking actor { account(id) { nrql(query) { results } } }.
//   200 { data: { actor: { account: { nrql: { results: [ { "<function>": <number> } ] } } } } }
//   401 { errors: [{ message, extensions: { errorClass: "UNAUTHORIZED" } }] } for a bad key
//   200 { data: null, errors: [{ message: "NRQL Syntax Error: …" }] } for bad NRQL
import { sendJson, startServer, type TestServer } from './http-server.ts';

export interface FakeNewRelic {
  url: string;
  server: TestServer;
  apiKey: string;
  accountId: number;
  results: (nrql: string) => unknown[] | 'syntax error';
  close(): Promise<void>;
}

export async function startFakeNewRelic(apiKey: string, accountId: number): Promise<FakeNewRelic> {
  const fake: Partial<FakeNewRelic> = { apiKey, accountId, results: () => [] };
  const server = await startServer((req, res, raw) => {
    if (req.method !== 'POST' || req.url !== '/graphql')
      return sendJson(res, 404, { errors: [{ message: 'Not Found' }] });
    if (req.headers['api-key'] !== fake.apiKey)
      return sendJson(res, 401, {
        errors: [{ message: 'Invalid API key', extensions: { errorClass: 'UNAUTHORIZED' } }],
      });
    let body: { query?: string; variables?: { accountId?: number; nrql?: string } };
    try {
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch {
      return sendJson(res, 400, { errors: [{ message: 'Malformed JSON' }] });
    }
    const { query = '', variables = {} } = body;
    if (!/actor\s*{\s*account\(id:\s*\$accountId\)\s*{\s*nrql\(query:\s*\$nrql\)\s*{\s*results/.test(query))
      return sendJson(res, 200, { data: null, errors: [{ message: 'unsupported query in this fake' }] });
    if (variables.accountId !== fake.accountId)
      return sendJson(res, 200, {
        data: { actor: { account: null } },
        errors: [{ message: 'Account not found', extensions: { errorClass: 'FORBIDDEN' } }],
      });
    const results = fake.results!(variables.nrql ?? '');
    if (results === 'syntax error')
      return sendJson(res, 200, {
        data: null,
        errors: [{ message: `NRQL Syntax Error: ${variables.nrql}` }],
      });
    sendJson(res, 200, { data: { actor: { account: { nrql: { results } } } } });
  });
  Object.assign(fake, { url: server.url, server, close: () => server.close() });
  return fake as FakeNewRelic;
}
