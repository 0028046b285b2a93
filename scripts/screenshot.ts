// The README's screenshot: a sandbox mid-release (the card with its buttons, the thread open), taken
// with playwright-core and Debian's Chromium. Starts its own sandbox (and a throwaway Redis) unless
// given --url.
//
//   node bin/run-ts.js scripts/screenshot.ts [--out docs/sandbox.png] [--url http://localhost:3000]
import { parseArgs } from 'node:util';
import { createLogger } from '../src/log.ts';
import { runSandbox } from '../src/sandbox/run-sandbox.ts';
import { openBrowser, SandboxPage } from '../test/e2e/helpers/browser.ts';
import { startRedis } from '../test/helpers/redis.ts';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'docs/sandbox.png' }, url: { type: 'string' } },
});

// A throwaway Redis, so earlier sandbox runs (their releases, locks) cannot change the picture.
const redis = values.url ? null : await startRedis();
const sandbox = redis
  ? await runSandbox({ port: 0, redisUrl: redis.url, log: createLogger({ level: 'warn' }) })
  : null;
const url = values.url ?? sandbox!.url;
const browser = await openBrowser({ width: 1440, height: 900 });
try {
  const ui = new SandboxPage(browser.page);
  await ui.open(url);
  await ui.type('/release start shop v1.3.0 New checkout flow behind the flag; watch p99 on /cart');
  const card = ui.card('shop v1.3.0');
  await ui.waitForText(card, 'Waiting for approval');
  await ui.as('bob');
  await ui.click(card, 'Approve');
  await ui.waitForText(card, 'Approvals 1/2');
  await ui.as('carol');
  await ui.click(card, 'Approve');
  // Mid-release: the 10% canary holding, gates reading, Pause / Promote / Roll back on the card.
  await ui.waitForText(card, /left/, 60_000);
  await ui.waitForText(card, 'Promote');
  await ui.openThread(card);
  await browser.page.mouse.move(700, 120); // off the card: no hover highlight in the picture
  await browser.page.waitForTimeout(2500); // a couple of gate readings and the split panel settle
  await browser.page.screenshot({ path: values.out });
  process.stdout.write(`wrote ${values.out}\n`);
} finally {
  await browser.close();
  await sandbox?.close();
  await redis?.stop();
}
