// Load generator for bench/ack-latency.ts, in its own process so its CPU does not count against the
// apps: reads {url, bodies: [{body, headers}]} on stdin, fires them all at once, prints the sorted
// latencies (send → HTTP response) as JSON on stdout.
import { Agent, request } from 'undici';

interface Job {
  url: string;
  requests: { body: string; headers: Record<string, string> }[];
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const job = JSON.parse(Buffer.concat(chunks).toString()) as Job;
// One connection per request in flight, like Slack's many edge servers hitting the app at once.
const agent = new Agent({ connections: job.requests.length, pipelining: 0 });
const times = await Promise.all(
  job.requests.map(async ({ body, headers }) => {
    const started = performance.now();
    const res = await request(job.url, { method: 'POST', headers, body, dispatcher: agent });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`ack ${res.statusCode}`);
    return performance.now() - started;
  }),
);
await agent.close();
process.stdout.write(JSON.stringify(times.sort((a, b) => a - b)));
