// Small runbooks in the phrasings SPEC 13 quotes, and near variants of them, through draftRunbook:
// what each line becomes, and that what cannot be placed stays among the kept lines.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRunbook } from '../../../src/config/runbook.ts';
import { draftRunbook, importRunbook, placeholders } from '../../../src/import/import.ts';

const md = (...lines: string[]) => lines.join('\n');

describe('traffic stages', () => {
  it('reads a bare "(45min)" on the shift\'s own line as its hold', () => {
    const draft = draftRunbook(md('# Shop', '', '## Rollout', '', '1. Route 25% of traffic (45min)'));
    expect(draft.stages).toMatchObject([{ traffic: 25, hold: { duration: '45m' } }]);
    expect(draft.stages[0]?.cites.map((c) => c.line)).toEqual([5, 5]);
  });

  it.each([
    ['1. Shift 5% of traffic to the canary for 30 minutes.', '30m'],
    ['1. Shift 5% of traffic to the canary and keep it there for 30 minutes', '30m'],
    ['1. Move to 50 percent of traffic for 1 hr 30 min', '1h30m'],
  ])('reads a "for" on the shift\'s own line as its hold: %s', (line, hold) => {
    const draft = draftRunbook(md('# Shop', '', '## Rollout', '', line));
    expect(draft.stages).toMatchObject([{ hold: { duration: hold }, cites: [{ line: 5 }, { line: 5 }] }]);
  });

  it('does not take a threshold\'s "for" on the shift\'s line as the hold', () => {
    const draft = draftRunbook(
      md('## Rollout', '', '1. Route 10% of traffic; roll back if error rate > 1% for 5 minutes'),
    );
    expect(draft.stages).toMatchObject([{ traffic: 10 }]);
    expect(draft.stages[0]?.hold).toBeUndefined();
  });

  it('does not take a bare "(5min)" from a later line as the hold', () => {
    const draft = draftRunbook(
      md('## Rollout', '', '1. Route 25% of traffic', '2. Check the dashboards (5min)'),
    );
    expect(draft.stages).toMatchObject([{ traffic: 25 }]);
    expect(draft.stages[0]?.hold).toBeUndefined();
  });
});

describe('traffic commands written inline in a step', () => {
  it('reads `--weight blue=90 green=10` and `--to-revisions=LATEST=50` outside a code block', () => {
    const draft = draftRunbook(
      md(
        '## Canary',
        '',
        '1. Run `wrangler routes update --weight blue=90 green=10`',
        '2. Monitor for 15 minutes',
        '3. Run `gcloud run services update-traffic api --to-revisions=LATEST=50`',
      ),
    );
    expect(draft.stages).toMatchObject([
      { traffic: 10, hold: { duration: '15m' } },
      { traffic: 50, cites: [{ line: 5 }] },
    ]);
    expect(draft.unplaced.map((c) => c.line)).not.toContain(3);
  });
});

describe("a code line's comment as prose", () => {
  it('reads a shift from the trailing comment, never from a "#" inside quotes', () => {
    const draft = draftRunbook(
      md(
        '## Canary',
        '',
        '```bash',
        'curl -X POST https://lb/notes -d "note: # route 30% of traffic"',
        './shift.sh canary  # then 20% of traffic',
        '```',
      ),
    );
    expect(draft.stages).toMatchObject([{ traffic: 20, cites: [{ line: 5 }] }]);
  });
});

describe('deploy windows', () => {
  it('reads "Mon-Fri 9am-5pm ET" in America/New_York', () => {
    const draft = draftRunbook(md('## Deploy windows', '', 'Mon-Fri 9am-5pm ET'));
    expect(draft.windows).toMatchObject({
      timezone: 'America/New_York',
      allow: [{ text: 'Mon-Fri 09:00-17:00', cite: { line: 3 } }],
    });
  });

  it('keeps both windows of "Tue-Thu 10am-4pm PT and Mon 1pm-3pm PT"', () => {
    const draft = draftRunbook(md('## Deploy windows', '', 'Tue-Thu 10am-4pm PT and Mon 1pm-3pm PT'));
    expect(draft.windows).toMatchObject({
      timezone: 'America/Los_Angeles',
      allow: [
        { text: 'Tue-Thu 10:00-16:00', cite: { line: 3 } },
        { text: 'Mon 13:00-15:00', cite: { line: 3 } },
      ],
    });
  });

  it('keeps a window in a second zone among the kept lines, never in the first zone', () => {
    const draft = draftRunbook(
      md('## Deploy windows', '', '- Tue-Thu, 10am-4pm PT', '- Mon-Fri 9am-5pm ET', '- Fri 10:00-12:00'),
    );
    expect(draft.windows).toMatchObject({
      timezone: 'America/Los_Angeles',
      allow: [
        { text: 'Tue-Thu 10:00-16:00', cite: { line: 3 } },
        { text: 'Fri 10:00-12:00', cite: { line: 5 } },
      ],
    });
    expect(draft.unplaced.map((c) => c.text)).toContain('- Mon-Fri 9am-5pm ET');
  });
});

describe('pre-flight ids', () => {
  it("never repeat, even when an item's own text reads like a numbered repeat", () => {
    const markdown = md('## Pre-flight', '', '- [ ] Backup done', '- [ ] Backup done', '- [ ] Backup done 2');
    const ids = draftRunbook(markdown).preflight.flatMap((g) => g.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(3);
    const env = Object.fromEntries(placeholders(draftRunbook(markdown)).map((p) => [p, 'x']));
    const loaded = loadRunbook(importRunbook(markdown, { source: 'pre-flight.md' }), env);
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
  });
});

describe('commands continued with a backslash', () => {
  it('are one command, on the line it starts, with the trailing comment left off', () => {
    const draft = draftRunbook(
      md(
        '## Production deploy',
        '',
        '```bash',
        'gcloud run deploy api \\',
        '  --image registry/api:latest \\',
        '  --no-traffic  # Deploy without sending traffic',
        'gcloud run services update-traffic api \\',
        '  --to-revisions=LATEST=10',
        '```',
      ),
    );
    expect(draft.commands.deploy?.map((c) => [c.line, c.command])).toEqual([
      [4, 'gcloud run deploy api --image registry/api:latest --no-traffic'],
    ]);
    expect(draft.commands.traffic?.map((c) => [c.line, c.command])).toEqual([
      [7, 'gcloud run services update-traffic api --to-revisions=LATEST=10'],
    ]);
    expect(draft.stages).toMatchObject([{ traffic: 10, cites: [{ line: 7 }] }]);
  });
});

describe('a migration the runbook reverses', () => {
  it('is a migrate stage whose undo is migrate_down', () => {
    const text = importRunbook(
      md(
        '# Shop',
        '',
        '## Database migration',
        '',
        '```bash',
        './migrate.sh up',
        '```',
        '',
        '## Deploy',
        '',
        '```bash',
        './deploy.sh',
        '```',
        '',
        '## Database rollback',
        '',
        '```bash',
        './migrate.sh down',
        '```',
      ),
      { source: 'shop.md' },
    );
    expect(text).toContain('- { run: migrate, undo: migrate_down }');
    expect(text).not.toContain('once stages take');
  });
});

describe('a threshold on an HTTP status class', () => {
  it('is a gate whose query placeholder is a valid variable name, and the draft loads', () => {
    const markdown = md('# Shop', '', '## Rollback triggers', '', '- 5xx rate > 1% for 5 minutes → rollback');
    const draft = draftRunbook(markdown);
    expect(draft.gates.map((g) => [g.name, g.threshold.value])).toEqual([['5xx_rate', 0.01]]);
    expect(placeholders(draft)).toContain('GATE_5XX_RATE_QUERY');
    const env = Object.fromEntries(
      placeholders(draft).map((p) => [p, p === 'PROMETHEUS_URL' ? 'http://prometheus:9090' : 'x']),
    );
    const loaded = loadRunbook(importRunbook(markdown, { source: '5xx.md' }), env);
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
  });
});

describe('what comes before the title', () => {
  const body = [
    '# Shop Release & Rollback Runbook',
    '',
    '## Pre-flight',
    '',
    '- [ ] Backup done',
    '',
    '## Rollout',
    '',
    '1. Route 10% of traffic (30min)',
    '2. Route 50% of traffic (1hr)',
  ];
  it.each([
    ['front matter', ['---', 'owner: sre', '---']],
    ['an HTML comment', ['<!-- generated -->', '']],
    ['a badge', ['[![build](https://ci/badge.svg)](https://ci)', '']],
  ])('%s: the title is still the title, and lines are the file’s', (_, before) => {
    const draft = draftRunbook(md(...before, ...body));
    const at = before.length;
    expect(draft.service).toBe('shop');
    expect(draft.preflight).toMatchObject([{ group: 'Pre-flight', items: [{ cite: { line: at + 5 } }] }]);
    expect(draft.stages).toMatchObject([
      { traffic: 10, hold: { duration: '30m' }, cites: [{ line: at + 9 }, { line: at + 9 }] },
      { traffic: 50, hold: { duration: '1h' }, cites: [{ line: at + 10 }, { line: at + 10 }] },
    ]);
    // Nothing before the title is dropped: it is kept, on its own line.
    const kept = before.filter((l) => l !== '' && l !== '---');
    expect(draft.unplaced.map((c) => c.text)).toEqual(expect.arrayContaining([...kept, body[0]]));
    expect(draft.unplaced.find((c) => c.text === kept[0])?.line).toBe(before.indexOf(kept[0]!) + 1);
  });
});

describe('CRLF line ends', () => {
  it('read as LF: checklist lines in a code block, commands without a trailing \\r, the same lines', () => {
    const lf = md(
      '# Shop',
      '',
      '## Pre-deployment checklist',
      '',
      '```',
      '[ ] CI tests passing',
      '[ ] SBOM clean',
      '```',
      '',
      '## Deploy',
      '',
      '```bash',
      './deploy.sh prod',
      './notify.sh',
      '```',
    );
    const draft = draftRunbook(lf.replace(/\n/g, '\r\n'));
    expect(draft.preflight).toMatchObject([
      {
        items: [
          { title: 'CI tests passing', cite: { line: 6 } },
          { title: 'SBOM clean', cite: { line: 7 } },
        ],
      },
    ]);
    expect(draft.commands.deploy?.map((c) => [c.line, c.command])).toEqual([
      [13, './deploy.sh prod'],
      [14, './notify.sh'],
    ]);
    expect(draft).toEqual(draftRunbook(lf));
  });

  it('give reference 000 the draft it has with LF', () => {
    const lf = readFileSync('test/fixtures/runbooks/000.md', 'utf8');
    expect(draftRunbook(lf.replace(/\n/g, '\r\n'))).toEqual(draftRunbook(lf));
  });
});

describe('a line with more than one threshold', () => {
  const long =
    '- Roll back immediately when error rate > 1% for 5 minutes after the canary has taken its first traffic, or p95 latency is higher than 2s for 10 minutes.';

  it('gives a gate for each, each quoting the line where its threshold is', () => {
    const draft = draftRunbook(md('# Shop', '', '## Rollback', '', long));
    expect(draft.gates.map((g) => [g.name, g.threshold.value, g.threshold.for?.duration])).toEqual([
      ['error_rate', 0.01, '5m'],
      ['p95_latency', 2, '10m'],
    ]);
    expect(draft.gates[0]?.cite.text).toMatch(/^- Roll back immediately when error rate > 1%/);
    expect(draft.gates[1]?.cite).toMatchObject({
      line: 5,
      text: expect.stringContaining('p95 latency is higher than 2s'),
    });
    expect(draft.unplaced.map((c) => c.line)).not.toContain(5);
  });

  it.each([
    ['a change', '## Rollback', '- Roll back if p99 latency > 2s or if latency increases by more than 50%.'],
    ['a metric not gated on', '## Monitoring', '- Error rate > 1% and checkout conversion below 2%'],
  ])('is also kept whole when part of it (%s) gives no gate', (_, heading, line) => {
    const draft = draftRunbook(md('# Shop', '', heading, '', line));
    expect(draft.gates).toHaveLength(1);
    expect(draft.gates[0]?.cite.line).toBe(5);
    expect(draft.unplaced).toContainEqual({ line: 5, text: line });
  });
});

describe('a checklist under a deployment or release checklist heading', () => {
  it.each([
    [['## Deployment Checklist'], true],
    [['## Release Checklist'], true],
    [['## Deploy checklist', '### Code'], true],
    [['## Post-Deployment Checklist'], false],
    [['## Deployment Checklist', '### Verification'], false],
    [['## Release Checklist', '### Rollback'], false],
  ])('%j: required %s', (headings, required) => {
    const draft = draftRunbook(md('# Shop', '', ...headings.flatMap((h) => [h, '']), '- [ ] Backup done'));
    expect(draft.preflight).toMatchObject([{ items: [{ title: 'Backup done', required }] }]);
  });
});
