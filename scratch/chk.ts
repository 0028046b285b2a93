import { readFileSync, readdirSync } from 'node:fs';
import { draftRunbook, importRunbook, placeholders } from '../src/import/import.ts';
import { loadRunbook } from '../src/config/runbook.ts';
const dir = '/work/shared/reference/';
for (const f of readdirSync(dir).filter((x) => x.endsWith('.txt'))) {
  const md = readFileSync(dir + f, 'utf8');
  const out = importRunbook(md, { source: f });
  const env = Object.fromEntries(placeholders(draftRunbook(md)).map((p) => [p, p === 'PROMETHEUS_URL' ? 'http://prometheus:9090' : 'x']));
  const r = loadRunbook(out, env);
  console.log(f, r.ok ? 'OK' : r.problems);
}
