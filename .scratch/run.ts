import { createLogger } from '../src/log.ts';
import { runSandbox } from '../src/sandbox/run-sandbox.ts';
import { startRedis } from '../test/helpers/redis.ts';
const redis = await startRedis();
const box = await runSandbox({ port: Number(process.argv[2] ?? 3123), redisUrl: redis.url, log: createLogger({ level: 'warn' }) });
console.log('up', box.url);
process.on('SIGTERM', async () => { await box.close(); await redis.stop(); process.exit(0); });
