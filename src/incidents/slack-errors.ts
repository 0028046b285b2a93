// Slack's error code out of a WebClient error (`name_taken`, `already_in_channel`, …), or null.
export function slackErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('data' in error)) return null;
  const data = (error as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null || !('error' in data)) return null;
  const code = (data as { error?: unknown }).error;
  return typeof code === 'string' ? code : null;
}
