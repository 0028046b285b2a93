// `which`, without a shell: the first executable file of that name on PATH.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export type Which = (command: string) => Promise<string | null>;

export function createWhich(path: string | undefined = process.env.PATH): Which {
  return async (command) => {
    for (const dir of (path ?? '').split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, command);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
    return null;
  };
}
