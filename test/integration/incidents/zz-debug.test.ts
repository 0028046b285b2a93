import { afterAll, beforeAll, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { startFakePagerDuty, type FakePagerDuty } from '../../helpers/fake-pagerduty.ts';
import { botMessages, pagerDuty, runbookYaml, startOnCallRunway, textOf, waitIncidentChannel, waitMessage } from './support.ts';

const redis = useRedis();
let pd: FakePagerDuty;
beforeAll(async () => { pd = await startFakePagerDuty(); });
afterAll(async () => { await pd.close(); });

it('debug', async () => {
  const r = await startOnCallRunway(redis.url, runbookYaml({ page: pagerDuty(pd.enqueueUrl) }));
  await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev2 Search returns 500s');
  const channel = await waitIncidentChannel(r.ws, /search/);
  await waitFor('paged', async () => /paged through/.test(textOf(botMessages(r.ws, channel.id)[0]!)));
  const card = botMessages(r.ws, channel.id)[0]!;
  console.log(JSON.stringify(card.blocks, null, 1).slice(0, 3000));
  await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev3 Slow checkout');
  const ch2 = await waitIncidentChannel(r.ws, /slow-checkout$/);
  await r.ws.slash('UALICE', ch2.id, '/incident', `update ${'x'.repeat(1900)}`);
  await r.ws.slash('UALICE', ch2.id, '/incident', `resolve ${'Cache stampede after a deploy. '.repeat(20)}`);
  await new Promise((res) => setTimeout(res, 3000));
  console.log(r.ws.store.history(ch2.id).map((m) => m.text.slice(0, 100)));
  console.log(r.lines.filter((l) => /warn|error|fail/i.test(l)).slice(-10).join('\n'));
  console.log(r.ws.calls().filter((c) => !c.ok).map((c) => `${c.method} ${c.error}`));
  void waitMessage;
  await r.close();
});
