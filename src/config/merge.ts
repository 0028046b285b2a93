// Inheritance: the most specific layer wins. Mappings (channels, approvals, windows, links, actions,
// gates) merge key by key, so an environment can override one channel or one gate and keep the rest;
// an action or gate with the same name is replaced whole, never merged field by field (half of one
// gate's thresholds with half of another's would be a gate nobody wrote). Lists (stages, preflight)
// and plain values are replaced whole.
import { settingsShape, type Settings } from './schema.ts';

const SETTING_KEYS = Object.keys(settingsShape) as (keyof Settings)[];
const MERGED_BY_KEY: ReadonlySet<keyof Settings> = new Set([
  'channels',
  'approvals',
  'windows',
  'links',
  'actions',
  'gates',
] as const);

/**
 * Settings, or a part of them: cross-references merge only what they could read (crossref.ts).
 * Either way the fields merged by key hold mappings.
 */
type SettingsLike = Partial<Record<keyof Settings, unknown>>;

export interface Merged<S extends SettingsLike = Settings> {
  settings: S;
  /**
   * Where each value came from, for pointing problems at the line that wrote them:
   * "stages" → "defaults.stages", "gates.error_rate" → "services.checkout.gates.error_rate".
   */
  origins: Record<string, string>;
}

export function mergeLayers<S extends SettingsLike = Settings>(
  layers: readonly { path: string; settings: S }[],
): Merged<S> {
  const merged: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  for (const layer of layers) {
    const at = (field: string) => (layer.path === '' ? field : `${layer.path}.${field}`);
    for (const field of SETTING_KEYS) {
      const value = layer.settings[field];
      if (value === undefined) continue;
      if (MERGED_BY_KEY.has(field)) {
        const base = (merged[field] as Record<string, unknown> | undefined) ?? {};
        const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
        merged[field] = { ...base, ...Object.fromEntries(entries) };
        for (const [key] of entries) origins[`${field}.${key}`] = at(`${field}.${key}`);
        origins[field] = at(field);
      } else {
        merged[field] = value;
        origins[field] = at(field);
      }
    }
  }
  // Each field above was copied from a layer unchanged, or as a union of two of its mappings.
  return { settings: merged as S, origins };
}
