import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { importRunbook } from '../src/import/import.ts';
const dir = '/work/shared/reference/';
for (const f of readdirSync(dir).filter((x) => x.endsWith('.txt'))) {
  const y = parse(importRunbook(readFileSync(dir + f, 'utf8'), { source: f }));
  const svc = Object.keys(y.services)[0];
  const e = y.services[svc].environments.production;
  console.log(f, svc, JSON.stringify({ approvals: e.approvals, windows: e.windows, stages: e.stages.map((s: any) => typeof s === 'string' ? s : { ...s, gates: undefined }), gates: Object.fromEntries(Object.entries(e.gates ?? {}).map(([k, v]: any) => [k, { max: v.max, min: v.min, for: v.for }])), preflight: e.preflight?.length, optional: e.preflight?.filter((p: any) => p.required === false).length, handoff: y.handoff?.checklist?.length, actions: Object.keys(e.actions) }));
}
