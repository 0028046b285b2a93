// The five reference runbooks through `runway import`: each draft passes `runway check` once its
// placeholders are set, keeps every checklist item, and states the traffic stages, holds, gates,
// windows and approvals those files state (written down below, file by file).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkCommand } from '../../../src/cli/check.ts';
import { draftRunbook, importRunbook, placeholders, SCHEMA_LINE } from '../../../src/import/import.ts';

const dir = mkdtempSync(join(tmpdir(), 'runway-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Expected {
  service: string;
  approvals?: number;
  windows?: { timezone: string; allow: string[] };
  stages: unknown[];
  gates: Record<string, { max?: number; min?: number; for?: string }>;
  handoff: number;
}

const GATES_001 = [
  'error_rate',
  'p99_latency',
  'p50_latency',
  'database_errors',
  'worker_crashes',
  'queue_backlog',
  'database_cpu',
  'queue_depth',
];
const EXPECTED: Record<string, Expected> = {
  // FlowAi: Phase 4's 10% → 50% → 100% with 15-minute watches; "Critical Alert Thresholds".
  '000': {
    service: 'flowai',
    approvals: 2, // "Code review approved by 2+ engineers"
    stages: [
      { run: 'migrate', undo: 'migrate_down' }, // the runbook's own reverse (SPEC 10)
      'deploy',
      { traffic: 10, hold: '15m', gates: ['availability', 'p95_latency', 'error_rate'] },
      { traffic: 50, hold: '15m', gates: ['availability', 'p95_latency', 'error_rate'] },
      { traffic: 100, gates: ['availability', 'p95_latency', 'error_rate'] },
    ],
    gates: {
      availability: { min: 0.999 }, // "API Availability: >99.9% success rate"
      p95_latency: { max: 20, for: '10m' }, // "Latency P95 >20s for 10 minutes"
      error_rate: { max: 0.05, for: '5m' }, // "Error rate >5% for 5 minutes → Immediate rollback"
    },
    handoff: 0,
  },
  // SlideCraft: blue/green weights 10 (30min) → 50 (1hr) → 100; automatic rollback triggers; Tue-Thu, 10am-4pm PT.
  '001': {
    service: 'app',
    approvals: 2, // "Code review (2 approvers for production)"
    windows: { timezone: 'America/Los_Angeles', allow: ['Tue-Thu 10:00-16:00'] },
    stages: [
      { run: 'migrate', undo: 'migrate_down' }, // the runbook's own reverse (SPEC 10)
      'deploy',
      { traffic: 10, hold: '30m', gates: GATES_001 },
      { traffic: 50, hold: '1h', gates: GATES_001 },
      { traffic: 100, gates: GATES_001 },
    ],
    gates: {
      error_rate: { max: 0.005, for: '5m' }, // ">0.5% error rate sustained for 5min"
      p99_latency: { max: 5, for: '10m' }, // "P99 >5s sustained for 10min"
      p50_latency: { max: 200 }, // "P50 Latency: <200ms", in ms as written
      database_errors: { max: 10 },
      worker_crashes: { max: 5 },
      queue_backlog: { max: 1000, for: '15m' },
      database_cpu: { max: 0.7, for: '30m' },
      queue_depth: { max: 500, for: '15m' },
    },
    handoff: 0,
  },
  // ICUPA: Cloud Run --to-revisions=LATEST=10 → 50 → 100, "Monitor for 5-10 minutes"; alert rules in YAML.
  '002': {
    service: 'app',
    stages: [
      { run: 'migrate', undo: 'migrate_down' }, // the runbook's own reverse (SPEC 10)
      'deploy',
      {
        traffic: 10,
        hold: '10m',
        gates: ['error_rate', 'p95_latency', 'db_connections', 'payment_failures', 'agent_errors'],
      },
      {
        traffic: 50,
        gates: ['error_rate', 'p95_latency', 'db_connections', 'payment_failures', 'agent_errors'],
      },
      {
        traffic: 100,
        gates: ['error_rate', 'p95_latency', 'db_connections', 'payment_failures', 'agent_errors'],
      },
    ],
    gates: {
      error_rate: { max: 0.05, for: '5m' },
      p95_latency: { max: 3, for: '10m' },
      db_connections: { max: 0.8, for: '5m' },
      payment_failures: { max: 10, for: '5m' },
      agent_errors: { max: 20, for: '10m' },
    },
    handoff: 7,
  },
  // Generic web app: no traffic split; "Error rate exceeds 10%" triggers the rollback; "Monitor for 30 minutes".
  '003': {
    service: 'app',
    approvals: 2, // "minimum 2 approvals"
    stages: ['deploy', { bake: '30m', gates: ['error_rate'] }],
    gates: { error_rate: { max: 0.1 } },
    handoff: 0,
  },
  // Avocat-AI: rolling update; "When to Rollback: Error rate > 5%"; alert P95 > 3000ms; "Minimum 1 approving review".
  '004': {
    service: 'avocat-ai',
    approvals: 1,
    stages: [
      { run: 'migrate', undo: 'migrate_down' }, // the runbook's own reverse (SPEC 10)
      'deploy',
      { bake: '30m', gates: ['p95_latency', 'error_rate', 'performance_degradation'] },
    ],
    gates: {
      p95_latency: { max: 3000 },
      error_rate: { max: 0.05 },
      performance_degradation: { max: 0.5 },
    },
    handoff: 6,
  },
};

const fixture = (name: string) => readFileSync(join('test/fixtures/runbooks', `${name}.md`), 'utf8');

/** Task items read straight off the source lines: `- [ ] text` (and `[ ] text` in a plain code block). */
function checklistLines(markdown: string): { text: string; template: boolean }[] {
  const items: { text: string; template: boolean }[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const opening = /^\s*```(\w*)/.exec(line);
    if (opening) {
      fence = fence === null ? (opening[1] ?? '') : null;
      continue;
    }
    const item = /^\s*(?:[-*]\s+)?\[[ xX]\]\s+(.+)$/.exec(line);
    if (!item?.[1] || (fence === null && !/^\s*[-*]\s+\[/.test(line))) continue;
    items.push({ text: item[1].replace(/\*\*|`/g, '').trim(), template: fence === 'markdown' });
  }
  return items;
}

describe.each(Object.entries(EXPECTED))('runway import of reference runbook %s', (name, expected) => {
  const markdown = fixture(name);
  const text = importRunbook(markdown, { source: `${name}.md` });
  const draft = parse(text) as {
    services: Record<string, { environments: { production: Record<string, unknown> } }>;
    handoff?: { checklist: string[] };
  };
  const settings = draft.services[expected.service]?.environments.production as Record<string, unknown>;

  it('starts with the yaml-language-server line and passes runway check once its placeholders are set', () => {
    expect(text.split('\n')[0]).toBe(SCHEMA_LINE);
    const path = join(dir, `${name}.yml`);
    writeFileSync(path, text);
    const names = placeholders(draftRunbook(markdown));
    expect(checkCommand(path, {}).exitCode).toBe(1);
    const env = Object.fromEntries(
      names.map((n) => [n, n.endsWith('_URL') ? 'http://prometheus:9090' : `./${n.toLowerCase()}`]),
    );
    const result = checkCommand(path, env);
    expect(result.output).toContain('is valid');
    expect(result.exitCode).toBe(0);
  });

  it('states the approvals, windows, stages and gates the runbook states', () => {
    expect(Object.keys(draft.services)).toEqual([expected.service]);
    expect(settings['approvals']).toEqual(expected.approvals ? { required: expected.approvals } : undefined);
    expect(settings['windows']).toEqual(expected.windows);
    expect(settings['stages']).toEqual(expected.stages);
    const gates = settings['gates'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(gates)).toEqual(Object.keys(expected.gates));
    for (const [gate, bounds] of Object.entries(expected.gates)) {
      const { max, min, for: sustained } = gates[gate] ?? {};
      expect({ max, min, for: sustained }, gate).toEqual({
        max: undefined,
        min: undefined,
        for: undefined,
        ...bounds,
      });
      expect(gates[gate]?.['prometheus']).toEqual({
        url: '${PROMETHEUS_URL}',
        query: `\${${gate.toUpperCase()}_QUERY}`,
      });
    }
    expect(draft.handoff?.checklist.length ?? 0).toBe(expected.handoff);
  });

  it('keeps every checklist item: as a pre-flight item, a handoff item, or (a template) among the kept lines', () => {
    const preflight = (settings['preflight'] as { id: string; title: string; manual: boolean }[]) ?? [];
    const placed = [...preflight.map((p) => p.title), ...(draft.handoff?.checklist ?? [])];
    const items = checklistLines(markdown);
    expect(items.length).toBeGreaterThan(20);
    for (const item of items) {
      if (item.template) expect(text).toMatch(new RegExp(`#\\s+\\d+ \\| - \\[ \\] ${item.text}`));
      else
        expect(
          placed.some((title) => title.startsWith(item.text.slice(0, 140))),
          item.text,
        ).toBe(true);
    }
    expect(preflight.every((p) => p.manual)).toBe(true);
    expect(new Set(preflight.map((p) => p.id)).size).toBe(preflight.length);
  });

  it('cites a source line for every entry and keeps every other line as a comment at the end', () => {
    const lines = markdown.split('\n');
    const cited = new Set(
      [...text.matchAll(/# lines? ([\d, ]+):/g)].flatMap((m) => (m[1] ?? '').split(', ').map(Number)),
    );
    const suggested = new Set(
      [...text.matchAll(/#\s+lines? ([\d, ]+) \(/g)].flatMap((m) => (m[1] ?? '').split(', ').map(Number)),
    );
    // Kept whole, indentation and all: "# 123 | <the line>".
    const kept = new Map([...text.matchAll(/^#\s+(\d+) \| (.*)$/gm)].map((m) => [Number(m[1]), m[2]]));
    lines.forEach((line, i) => {
      if (/^\s*$|^\s*```|^\s*([-*_]\s*){3,}$|^\s*\|?(\s*:?-+:?\s*\|)+/.test(line)) return;
      const n = i + 1;
      expect(cited.has(n) || suggested.has(n) || kept.get(n) === line.trimEnd(), `line ${n}: ${line}`).toBe(
        true,
      );
    });
  });
});
