// The demo service's flag API: the slice of LaunchDarkly's REST API v2 the product's `launchdarkly`
// provider (src/flags/launchdarkly.ts) calls, so a demo runbook's flag action runs the real code path
// with its `url` pointed here. GET /api/v2/flags/{project}/{key} reads the flag; PATCH with
// `Content-Type: application/json; domain-model=launchdarkly.semanticpatch` changes it. Calls need the
// access token in `Authorization`, as LaunchDarkly's do.
import { applySemanticPatch, flagRepresentation, type DemoFlag } from './flag-model.ts';

export const FLAG_API_PREFIX = '/api/v2/flags/';
const SEMANTIC_PATCH = 'application/json; domain-model=launchdarkly.semanticpatch';

export interface FlagRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

export interface FlagAnswer {
  status: number;
  body: unknown;
  /** The flag after a successful change. */
  flag?: DemoFlag;
}

const error = (status: number, code: string, message: string): FlagAnswer => ({
  status,
  body: { code, message },
});

export function answerFlagRequest(flag: DemoFlag, token: string, req: FlagRequest): FlagAnswer {
  if (req.authorization !== token) return error(401, 'unauthorized', 'Invalid access token');
  const [project, key, ...rest] = req.path.slice(FLAG_API_PREFIX.length).split('/').map(decode);
  if (project !== flag.project || key !== flag.key || rest.length > 0)
    return error(
      404,
      'not_found',
      `Unknown resource: the demo service has one flag, ${flag.project}/${flag.key}`,
    );
  if (req.method === 'GET') return { status: 200, body: flagRepresentation(flag) };
  if (req.method !== 'PATCH') return error(405, 'method_not_allowed', `${req.method} is not allowed here`);
  if (req.contentType?.toLowerCase().replace(/\s+/g, '') !== SEMANTIC_PATCH.replace(/\s+/g, ''))
    return error(400, 'invalid_request', 'the demo flag takes semantic patches only');
  let patch: unknown;
  try {
    patch = JSON.parse(req.body);
  } catch {
    return error(400, 'invalid_request', 'the body is not JSON');
  }
  const result = applySemanticPatch(flag, patch);
  if (!result.ok)
    return error(result.status, result.status === 404 ? 'not_found' : 'invalid_request', result.message);
  return { status: 200, body: flagRepresentation(result.flag), flag: result.flag };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
