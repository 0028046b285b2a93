import { createLogger } from '../src/log.ts';
import { runSandbox } from '../src/sandbox/run-sandbox.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { openBrowser, SandboxPage } from '../test/e2e/helpers/browser.ts';
for (let i = 0; i < 6; i++) {
  const redis = await startRedis();
  const box = await runSandbox({ port: 0, redisUrl: redis.url, log: createLogger({ level: 'silent' }) });
  const b = await openBrowser();
  b.page.on('pageerror', (e) => console.log('pageerror:', e.message));
  const responses: string[] = [];
  b.page.on('response', async (r) => { if (r.url().includes('/ui/click')) responses.push(await r.text()); });
  const ui = new SandboxPage(b.page);
  await ui.open(box.url);
  await ui.type('/release start shop v1.3.0');
  const card = ui.card('shop v1.3.0 → production');
  await ui.waitForText(card, 'Waiting for approval');
  const t0 = Date.now();
  await ui.click(card, 'Approve');
  let ok = true;
  try { await b.page.locator('#messages .msg-ephemeral').waitFor({ timeout: 8000 }); } catch { ok = false; }
  await b.page.waitForTimeout(300);
  console.log(i, ok, Date.now() - t0, responses, JSON.stringify(box.workspace.store.ephemerals().map((e) => [e.user, e.text.slice(0, 80)])));
  if (!ok) await b.page.screenshot({ path: `/tmp/flaky-${i}.png` });
  await b.close(); await box.close(); await redis.stop();
}
process.exit(0);
