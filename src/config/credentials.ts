// Credentials written in the runbook itself (not through `${ENV}`) are secrets all the same: every
// value under a credential key is registered with the secrets, so logs, Slack and the audit never
// show it. `${ENV}` values are registered by substitute.ts whatever their key.
const CREDENTIAL_KEYS = new Set([
  'api_key',
  'app_key',
  'bearer_token',
  'password',
  'token',
  'secret',
  'routing_key',
]);
// Header names that carry credentials (Authorization, X-Api-Key, X-Auth-Token …), not X-Scope-OrgID.
export const CREDENTIAL_HEADER = /authorization|token|key|secret|password|cookie/i;

export function credentialValues(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown, key: string | null, inHeaders: boolean): void => {
    if (typeof node === 'string') {
      if (key !== null && (CREDENTIAL_KEYS.has(key) || (inHeaders && CREDENTIAL_HEADER.test(key)))) {
        found.add(node);
        // "Bearer abc…": the token alone may show up in an error too.
        const bare = /^(Bearer|Basic|OAuth|Token)\s+(.+)$/i.exec(node)?.[2];
        if (bare) found.add(bare);
      }
      return;
    }
    if (Array.isArray(node)) return node.forEach((item) => visit(item, null, false));
    if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) visit(v, k, key === 'headers');
    }
  };
  visit(value, null, false);
  return [...found];
}
