// Scrub both the registered secrets and the ones this action holds (a webhook secret, a routing key,
// a token), so a value reaches no summary or tail even if the registry missed it.
import { scrubSecrets, secrets } from '../log.ts';

export function scrubberFor(...own: (string | undefined)[]): (text: string) => string {
  const values = own.filter((v): v is string => typeof v === 'string' && v.length > 0);
  return (text) => secrets.scrub(scrubSecrets(text, values));
}
