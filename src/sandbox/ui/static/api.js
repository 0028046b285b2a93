// Talking to the page server: JSON in, JSON out. A JSON content type is what the server requires, so
// other sites cannot post to the sandbox without a CORS preflight.

/** POSTs `body` to `path`; always resolves, with the HTTP status folded into the answer. */
export async function post(path, body) {
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    let data = {};
    try {
      data = await res.json();
    } catch {
      /* an empty or non-JSON answer: the status says enough */
    }
    return { httpStatus: res.status, ...data };
  } catch (error) {
    return { httpStatus: 0, ok: false, error: 'network', detail: String(error) };
  }
}

/** Slack's words for an ack that did not come, or the server's refusal, in a sentence. */
export function describeFailure(result) {
  if (result.error === 'operation_timeout')
    return 'Runway did not answer within 3 seconds (operation_timeout).';
  if (result.error === 'dispatch_failed') return 'Runway could not be reached (dispatch_failed).';
  if (result.error === 'network') return 'The sandbox server could not be reached.';
  if (result.appStatus && result.appStatus !== 200) return `Runway answered HTTP ${result.appStatus}.`;
  if (result.detail) return `${result.error}: ${result.detail}`;
  return result.error ? `Failed: ${result.error}` : 'Failed.';
}
