// `{{name}}` templates in runbook strings. Only the names below exist; `runway check` refuses others.
export const TEMPLATE_NAMES = [
  'version',
  'previous_version',
  'service',
  'environment',
  'percent',
  'release_id',
  'requester',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type TemplateVars = Partial<Record<TemplateName, string | number | null>>;

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Placeholder names used in a string that are not template names. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)]
    .map((m) => m[1] ?? '')
    .filter((name) => !(TEMPLATE_NAMES as readonly string[]).includes(name));
}

export class TemplateError extends Error {
  constructor(readonly variable: string) {
    super(`{{${variable}}} has no value for this release`);
  }
}

/** Fill placeholders; a placeholder with no value is an error (never an empty argument to a command). */
export function renderTemplate(text: string, vars: TemplateVars): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    const value = vars[name as TemplateName];
    if (value === undefined || value === null || value === '') throw new TemplateError(name);
    return String(value);
  });
}

/** Render every string inside a JSON-like value (webhook bodies, headers, argv arrays). */
export function renderDeep<T>(value: T, vars: TemplateVars): T {
  if (typeof value === 'string') return renderTemplate(value, vars) as T;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, vars)])) as T;
  }
  return value;
}

/** Every string found inside a JSON-like value, for checking placeholders. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Fill what can be filled; leave placeholders without a value visible (dry runs, summaries, the card). */
export function fillKnown(text: string, vars: TemplateVars): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => {
    const value = vars[name as TemplateName];
    return value === undefined || value === null ? m : String(value);
  });
}
