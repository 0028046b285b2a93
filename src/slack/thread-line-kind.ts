// Which release thread lines are routine (may fold into one post when the channel is busy): stage
// starts and ends, pre-flight done, the opening line and "is live". Everything else — breaches,
// rollbacks, approvals, refusals, pauses, failures — is important and always keeps its own post.
// Reads the rendered text today; a typed thread note will say its kind directly.

const ROUTINE = [
  /^:arrow_forward: Stage \d+\/\d+ started: /,
  /^:white_check_mark: Stage \d+\/\d+ done: /,
  /^:white_check_mark: Pre-flight complete\.$/,
  /^<@[A-Z0-9]+> started the release of /,
  /^:tada: .* is live in /,
];

export function threadLineKind(text: string): 'routine' | 'important' {
  return ROUTINE.some((re) => re.test(text)) ? 'routine' : 'important';
}
