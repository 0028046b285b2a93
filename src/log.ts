// The one pino root logger. Secrets are scrubbed by value as lines are written, because a secret can
// reach a log inside any string (an URL, an error message, a command's output), not only at known paths.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

const REDACTED = '[redacted]';
/** Values shorter than this are not scrubbed: replacing "1" everywhere would wreck every line. */
const MIN_SECRET_LENGTH = 4;

export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join(REDACTED);
    // JSON-escaped forms too, for secrets containing quotes or backslashes.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(REDACTED);
  }
  return out;
}

/** A registry of secret values, filled when the runbook and environment load. */
export class SecretSet {
  private readonly values = new Set<string>();
  add(...values: (string | undefined)[]): void {
    for (const v of values) if (v && v.length >= MIN_SECRET_LENGTH) this.values.add(v);
  }
  has(value: string): boolean {
    return this.values.has(value);
  }
  scrub(text: string): string {
    return this.values.size === 0 ? text : scrubSecrets(text, this.values);
  }
  [Symbol.iterator](): Iterator<string> {
    return this.values[Symbol.iterator]();
  }
}

export const secrets = new SecretSet();

export function createLogger(
  options: { level?: string; destination?: DestinationStream; secretSet?: SecretSet } = {},
): Logger {
  const set = options.secretSet ?? secrets;
  return pino(
    {
      level: options.level ?? 'info',
      redact: {
        paths: [
          'token',
          '*.token',
          'headers.authorization',
          '*.headers.authorization',
          'headers["x-runway-signature"]',
          'secret',
          '*.secret',
          'routing_key',
          '*.routing_key',
          'api_key',
          '*.api_key',
          'app_key',
          '*.app_key',
          'bearer_token',
          '*.bearer_token',
          'password',
          '*.password',
        ],
        censor: REDACTED,
      },
      hooks: { streamWrite: (line: string) => set.scrub(line) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
