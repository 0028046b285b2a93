// http gate: GET a JSON endpoint and read one number at `path`.
import { displayUrl } from '../actions/http-attempt.ts';
import type { GateConfig } from '../config/schema.ts';
import { renderDeep } from '../config/template.ts';
import { credentialValues } from '../config/credentials.ts';
import { gateGet, snippet } from './gate-request.ts';
import { readJsonPath, toNumber } from './json-path.ts';
import { scrubbed } from './no-data.ts';
import { fromTemplate } from './template-sample.ts';
import type { GateSample, GateSampleContext } from './types.ts';

export type HttpGate = Extract<GateConfig, { http: unknown }>;

export async function sampleHttpGate(config: HttpGate, ctx: GateSampleContext): Promise<GateSample> {
  return fromTemplate(async () => {
    const { url, path, headers } = renderDeep(config.http, ctx.vars);
    const fetched = await gateGet('the metrics endpoint', url, headers, config.timeout, ctx.signal);
    // An endpoint may echo what it was sent ("invalid token abc…"): the reason is on the card.
    const credentials = credentialValues({ headers });
    if (!fetched.ok) return scrubbed({ value: null, error: fetched.error }, credentials);
    if (fetched.status < 200 || fetched.status >= 300) {
      return scrubbed(
        { value: null, error: `HTTP ${fetched.status} from ${displayUrl(url)}: ${snippet(fetched.body)}` },
        credentials,
      );
    }
    return scrubbed(numberAt(fetched.body, path), credentials);
  });
}

/** The number at `path` in a JSON text, or why there is none. */
export function numberAt(body: string, path: string): GateSample {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { value: null, error: `the response is not JSON: ${snippet(body, 80)}` };
  }
  const found = readJsonPath(json, path);
  if (!found.found) return { value: null, error: `no value at ${path}: ${found.reason}` };
  const value = toNumber(found.value);
  if (value === null) {
    return {
      value: null,
      error: `${path} is ${JSON.stringify(found.value)?.slice(0, 80) ?? 'undefined'}, not a number`,
    };
  }
  return { value };
}
