// The bundled demo runbook, with the demo service's address and flag token filled in.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEMO_RUNBOOK_PATH = fileURLToPath(new URL('./demo-runbook.yml', import.meta.url));

export function demoRunbookText(demo: { url: string; flagToken: string }): string {
  return readFileSync(DEMO_RUNBOOK_PATH, 'utf8')
    .replaceAll('__DEMO_URL__', demo.url)
    .replaceAll('__DEMO_FLAG_TOKEN__', demo.flagToken);
}
