// `npm run bench`: both benchmarks with their defaults, one after the other (each starts and stops its
// own redis-server, so the second does not inherit the first one's keys or load). See bench/README.md.
import { cpus } from 'node:os';
import { HOLD_DEFAULTS, holdMemory, type HoldResult } from './hold-memory.ts';
import { JOBS_DEFAULTS, jobsThroughput, type JobsResult } from './jobs-throughput.ts';
import { fmt, runBench, table } from './lib.ts';
import { ackLatency } from './ack-latency.ts';

if (process.argv.length > 2) {
  console.error('npm run bench takes no flags; run one benchmark with its flags instead:');
  console.error('  node bin/run-ts.js bench/jobs-throughput.ts --releases 20 --stages 25');
  console.error('  node bin/run-ts.js bench/hold-memory.ts --releases 1000 --seconds 30');
  console.error('  node bin/run-ts.js bench/ack-latency.ts --requests 200 --rounds 5');
  process.exit(2);
}

let jobs: JobsResult | undefined;
let hold: HoldResult | undefined;
await runBench(async () => {
  jobs = await jobsThroughput({ ...JOBS_DEFAULTS });
});
await runBench(async () => {
  hold = await holdMemory({ ...HOLD_DEFAULTS });
});
await runBench(async () => {
  await ackLatency({ requests: 200, rounds: 5 });
});
if (jobs && hold) {
  console.log(`\nsummary (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores)\n`);
  console.log(
    table([
      ['engine / bare BullMQ (chained)', `${fmt(jobs.ratio, 2)}  (aim ≥ 0.50)`],
      ['worker RSS holding 1,000 releases', `max ${fmt(hold.rssMaxMb)} MB  (aim < 300 MB)`],
      [
        'worker CPU holding 1,000 releases',
        `${fmt(hold.cpuShare * 100)}% of one core  (aim < 50%), ${fmt(hold.cpuMsPerSample, 2)} ms per sample` +
          (hold.waitingShare > 0.1
            ? `; CONTENDED: its event loop waited ${fmt(hold.waitingShare * 100)}% of the time for a core`
            : ''),
      ],
      [
        'gate samples achieved',
        `${fmt(hold.samplesPerSecond)} /s of ${fmt(HOLD_DEFAULTS.releases)} /s asked`,
      ],
    ]),
  );
}
