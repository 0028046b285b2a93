import { describe, expect, it } from 'vitest';
import { loadRunbook, resolveEnvironment } from '../../../src/config/runbook.ts';

const runbook = (service: string, env = '') => `
version: 1
defaults:
  changelog: { github: { repo: acme/shop, token: "\${GITHUB_TOKEN}" } }
  github_deployments: { repo: acme/shop, token: "\${GITHUB_TOKEN}" }
services:
  checkout:
${service}
    environments:
      production:
${env}
        actions:
          deploy: { command: ["./deploy.sh", "{{version}}"] }
          rollback: { command: ["./rollback.sh"] }
        stages: [deploy]
`;
const ENV = { GITHUB_TOKEN: 'ghp_secret_123' };

function load(text: string) {
  const result = loadRunbook(text, ENV);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return resolveEnvironment(result.runbook, 'checkout', 'production');
}

describe('changelog and github_deployments in the runbook', () => {
  it('takes them at any level, with defaults filled in, and keeps the token a secret', () => {
    const resolved = load(runbook(''));
    expect(resolved.changelog).toEqual({
      github: { repo: 'acme/shop', token: 'ghp_secret_123', api_url: 'https://api.github.com' },
    });
    expect(resolved.githubDeployments).toEqual({
      repo: 'acme/shop',
      token: 'ghp_secret_123',
      api_url: 'https://api.github.com',
    });
    const result = loadRunbook(runbook(''), ENV);
    expect(result.ok && result.secrets).toContain('ghp_secret_123');
  });

  it('lets a more specific level replace the whole changelog (git below GitHub, never a mix)', () => {
    const resolved = load(
      runbook(
        '',
        '        changelog: { git: /srv/checkout }\n        github_deployments: { repo: acme/checkout, token: t, environment: prod-eu }',
      ),
    );
    expect(resolved.changelog).toEqual({ git: '/srv/checkout' });
    expect(resolved.githubDeployments?.environment).toBe('prod-eu');
  });

  it('reports a malformed changelog and repository with their paths', () => {
    const result = loadRunbook(
      runbook('    changelog: { svn: /x }\n    github_deployments: { repo: nope, token: t }'),
      ENV,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(/services\.checkout\.changelog: expected \{ git/);
    expect(result.problems.join('\n')).toMatch(
      /services\.checkout\.github_deployments\.repo: expected owner\/name/,
    );
  });
});
