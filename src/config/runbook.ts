// The runbook file, from text to a checked Runbook: YAML → `${ENV}` → schema → cross-references.
// Every problem is reported at once, each as `path: message`, so one `runway check` fixes a file:
// the cross-references read the raw document, so they do not wait for the schema to pass.
// Pure: the caller reads the file and passes the environment.
import { parseDocument, type YAMLError } from 'yaml';
import { scrubSecrets } from '../log.ts';
import { credentialValues } from './credentials.ts';
import { crossReferenceProblems } from './crossref.ts';
import { promotionProblems } from './promotion-problems.ts';
import { formatIssues, formatPath } from './issues.ts';
import { runbookSchema } from './schema.ts';
import { substituteEnv, type Env } from './substitute.ts';
import type { Runbook } from './targets.ts';
import { isValueCheck } from './values.ts';

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
  const parsed = runbookSchema.safeParse(substituted.value);
  // A URL or time zone that still reads "${NAME}" is wrong only because NAME is missing, said above.
  const unresolved = new Set(substituted.unresolved);
  const issues = (parsed.error?.issues ?? []).filter(
    (issue) => !(isValueCheck(issue) && unresolved.has(formatPath(issue.path))),
  );
  const secretValues = [...new Set([...substituted.secrets, ...credentialValues(substituted.value)])];
  const problems = [
    ...new Set([
      ...substituted.problems,
      ...formatIssues(issues, substituted.value),
      ...crossReferenceProblems(substituted.value),
    ]),
  ];
  // Promotion is judged after inheritance, so only on a file the schema accepted.
  if (parsed.success) problems.push(...promotionProblems(parsed.data));
  if (problems.length > 0 || !parsed.success) {
    // Problems quote what was written, which may have come from the environment.
    return { ok: false, problems: problems.map((p) => scrubSecrets(p, secretValues)) };
  }
  return { ok: true, runbook: parsed.data, secrets: secretValues };
}

function describeYamlError(error: YAMLError): string {
  const message = error.message.split(' at line ')[0] ?? error.message;
  const at = error.linePos?.[0];
  return at ? `line ${at.line}, column ${at.col}: ${message}` : `YAML: ${message}`;
}
