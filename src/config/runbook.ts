// The runbook file, from text to a checked Runbook: YAML → `${ENV}` → schema → cross-references.
// Every problem is reported at once, each as `path: message`, so one `runway check` fixes a file.
// Pure: the caller reads the file and passes the environment.
import { parseDocument, type YAMLError } from 'yaml';
import { crossReferenceProblems } from './crossref.ts';
import { formatIssues } from './issues.ts';
import { runbookSchema } from './schema.ts';
import { substituteEnv, type Env } from './substitute.ts';
import type { Runbook } from './targets.ts';

export type { Env } from './substitute.ts';
export type { Runbook, Target } from './targets.ts';
export { defaultEnvironment, environmentsOf, findTarget, listTargets, soleService } from './targets.ts';
export { resolveEnvironment, type ResolvedEnvironment } from './resolve.ts';
export { findAction, summarizeAction, toPlan } from './plan.ts';

export type LoadResult =
  { ok: true; runbook: Runbook; secrets: string[] } | { ok: false; problems: string[] };

export function loadRunbook(text: string, env: Env): LoadResult {
  // merge: YAML `<<:` keys, which runbooks use to share blocks between environments.
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  if (doc.errors.length > 0) return { ok: false, problems: doc.errors.map(describeYamlError) };
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    return {
      ok: false,
      problems: ['(top level): the file is empty; a runbook starts with "version: 1" and lists its services'],
    };
  }

  const substituted = substituteEnv(raw, env);
  const problems = [...substituted.problems];
  const parsed = runbookSchema.safeParse(substituted.value);
  if (!parsed.success) {
    // Cross-references need a well-formed file; the shape problems come first.
    return { ok: false, problems: [...problems, ...formatIssues(parsed.error.issues, substituted.value)] };
  }
  problems.push(...crossReferenceProblems(parsed.data));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, runbook: parsed.data, secrets: substituted.secrets };
}

function describeYamlError(error: YAMLError): string {
  const message = error.message.split(' at line ')[0] ?? error.message;
  const at = error.linePos?.[0];
  return at ? `line ${at.line}, column ${at.col}: ${message}` : `YAML: ${message}`;
}
