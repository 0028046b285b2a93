// The provider's own words for a refusal, for the step's summary: Unleash answers
// `{ name, message, details }`, LaunchDarkly `{ code, message }`. Anything else: none.
const MAX = 300;

export function providerMessage(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const message = (parsed as { message?: unknown }).message;
  if (typeof message !== 'string') return null;
  const oneLine = message.replace(/\s+/g, ' ').trim();
  if (!oneLine) return null;
  return oneLine.length > MAX ? `${oneLine.slice(0, MAX - 1)}…` : oneLine;
}
