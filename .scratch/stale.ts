import { openBrowser, SandboxPage } from '../test/e2e/helpers/browser.ts';
const b = await openBrowser();
b.page.on('pageerror', (e) => console.log('pageerror:', e.message, e.stack));
b.page.on('console', (m) => console.log('console:', m.text()));
const ui = new SandboxPage(b.page);
await ui.open('http://localhost:3123');
await ui.type('/release start shop v1.3.5');
const card = ui.card('shop v1.3.5');
await ui.waitForText(card, 'Waiting for approval');
await ui.openThread(card);
for (let i = 0; i < 6; i++) {
  await b.page.waitForTimeout(1000);
  const r = await b.page.evaluate(() => {
    const ts = document.querySelector('#thread-messages .msg')?.getAttribute('data-ts');
    const a = document.querySelector(`#messages .msg[data-ts="${ts}"] .msg-content`)?.textContent;
    const t = document.querySelector(`#thread-messages .msg[data-ts="${ts}"] .msg-content`)?.textContent;
    return { same: a === t, a: a?.slice(0, 400), t: t?.slice(0, 400) };
  });
  console.log(r.same, r.same ? '' : JSON.stringify(r));
}
await b.close();
