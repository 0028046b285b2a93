// `runway check` on promotion: promote_from naming an unknown environment or itself, a cycle of
// promote_from, soak without promote_from — each a problem with its path; a valid promotion loads.
import { describe, expect, it } from 'vitest';
import { loadRunbook } from '../../../src/config/runbook.ts';
import { resolveEnvironment } from '../../../src/config/resolve.ts';
import { RunbookContext } from '../../../src/engine/runbook-context.ts';

function runbook(environments: string, service = ''): string {
  return `
version: 1
services:
  checkout:
${service}    actions:
      deploy: { command: ["./deploy.sh", "{{version}}"] }
      rollback: { command: ["./rollback.sh", "{{previous_version}}"] }
    stages: [deploy]
    environments:
${environments}`;
}
const problemsOf = (text: string) => {
  const result = loadRunbook(text, {});
  return result.ok ? [] : result.problems;
};
const E = 'services.checkout.environments';

describe('promotion in runway check', () => {
  it('accepts staging → production with a soak, and resolves it', () => {
    const result = loadRunbook(
      runbook(`      staging: {}
      production: { promote_from: staging, soak: 1h }
`),
      {},
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(resolveEnvironment(result.runbook, 'checkout', 'production').promotion).toEqual({
      from: 'staging',
      soakMs: 3_600_000,
    });
    expect(resolveEnvironment(result.runbook, 'checkout', 'staging').promotion).toBeNull();
    const ctx = new RunbookContext(result.runbook);
    expect(ctx.plan('checkout', 'staging').promotesTo).toEqual(['production']);
    expect(ctx.plan('checkout', 'production').promotesTo).toBeUndefined();
  });

  const cases: { name: string; environments: string; service?: string; problems: string[] }[] = [
    {
      name: 'promote_from naming an unknown environment',
      environments: `      staging: {}\n      production: { promote_from: stagign }\n`,
      problems: [
        `${E}.production.promote_from: unknown environment "stagign"; checkout has staging, production`,
      ],
    },
    {
      name: 'promote_from naming the environment itself',
      environments: `      production: { promote_from: production }\n`,
      problems: [`${E}.production.promote_from: production cannot promote from itself`],
    },
    {
      name: 'a cycle of promote_from',
      environments: `      dev: { promote_from: production }\n      staging: { promote_from: dev }\n      production: { promote_from: staging }\n`,
      problems: [
        `${E}.dev.promote_from: a cycle of promote_from (dev ← production ← staging ← dev); no release could start in any of them`,
      ],
    },
    {
      name: 'soak without promote_from',
      environments: `      staging: { soak: 30m }\n      production: {}\n`,
      problems: [`${E}.staging.soak: soak needs promote_from (the environment to soak in first)`],
    },
    {
      name: 'soak under the service, inherited by an environment that does not promote',
      service: '    soak: 1h\n',
      environments: `      staging: {}\n      production: { promote_from: staging }\n`,
      problems: [
        'services.checkout.soak (in checkout/staging): soak needs promote_from (the environment to soak in first)',
      ],
    },
    {
      name: 'a soak that is not a duration (the schema says so)',
      environments: `      staging: {}\n      production: { promote_from: staging, soak: forever }\n`,
      problems: [`${E}.production.soak: expected a duration like 500ms, 30s, 5m or 1h, got "forever"`],
    },
  ];
  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      expect(problemsOf(runbook(c.environments, c.service))).toEqual(c.problems);
    });
  }
});
