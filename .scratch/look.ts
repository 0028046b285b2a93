import { openBrowser, SandboxPage } from '../test/e2e/helpers/browser.ts';
const b = await openBrowser();
b.page.on('pageerror', (e) => console.log('pageerror:', e.message));
const ui = new SandboxPage(b.page);
await ui.open(process.argv[2] ?? 'http://localhost:3123');
await b.page.waitForTimeout(500);
await b.page.screenshot({ path: process.argv[3] ?? '/tmp/look.png' });
await b.close();
