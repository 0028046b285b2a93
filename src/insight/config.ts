// Runbook settings of SPEC section 12, allowed at any level (defaults, service, environment): the
// most specific one wins whole (a git changelog below a GitHub one replaces it, never mixes with it).
import { z } from 'zod';
import { urlSchema } from '../config/values.ts';

const repoSchema = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected owner/name');

export const changelogSchema = z.union(
  [
    z.strictObject({ git: z.string().min(1) }),
    z.strictObject({
      github: z.strictObject({
        repo: repoSchema,
        token: z.string().min(1),
        api_url: urlSchema.default('https://api.github.com'),
      }),
    }),
  ],
  { error: 'expected { git: <path to a clone> } or { github: { repo, token, api_url } }' },
);

export const githubDeploymentsSchema = z.strictObject({
  repo: repoSchema,
  token: z.string().min(1),
  /** GitHub's environment name; Runway's environment name when left out. */
  environment: z.string().min(1).optional(),
  api_url: urlSchema.default('https://api.github.com'),
});

export type ChangelogConfig = z.infer<typeof changelogSchema>;
export type GithubDeploymentsConfig = z.infer<typeof githubDeploymentsSchema>;
