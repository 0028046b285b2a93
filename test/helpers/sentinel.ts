// A real Redis Sentinel deployment for failover tests: a primary, a replica and three sentinels
// (`redis-server --sentinel`), each on a free port of 127.0.0.1, with passwords on the data nodes and
// on the sentinels, and failover timings short enough for a test (down after 500 ms).
//
//   const group = await startSentinelGroup();
//   group.url            // redis+sentinel://127.0.0.1:p1,…/mymaster?password=…&sentinelPassword=…
//   await group.killPrimary();  await group.waitForFailover();
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/redis/free-port.ts';

export interface SentinelGroup {
  /** REDIS_URL for Runway. */
  url: string;
  name: string;
  password: string;
  sentinelPassword: string;
  /** The port the sentinels call primary right now. */
  primaryPort(): Promise<number>;
  /** SIGKILL the current primary, as a lost machine would. Returns its port. */
  killPrimary(): Promise<number>;
  /** SIGSTOP the current primary, as a frozen or cut-off host: no socket closes. Returns its port. */
  freezePrimary(): Promise<number>;
  /** Waits until the sentinels name another primary than `oldPort` and it accepts writes. */
  waitForFailover(oldPort: number, timeoutMs?: number): Promise<number>;
  /** When the first sentinel announced +switch-master (ms since epoch), once one has. */
  switchedAt(): number | undefined;
  stop(): Promise<void>;
}

const NAME = 'mymaster';
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function serve(args: string[]): ChildProcess {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.resume();
  child.stderr?.resume();
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function client(port: number, password: string): Redis {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  redis.on('error', () => {});
  return redis;
}

/** Runs `fn` on a fresh connection to `port`, closing it after; throws when the server is not there. */
async function ask<T>(port: number, password: string, fn: (r: Redis) => Promise<T>): Promise<T> {
  const redis = client(port, password);
  try {
    await redis.connect();
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sentinel group: timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * Starts redis-server with the args `build(port)` gives, on a port picked only now, and returns once
 * that very process (its pid, read back through INFO) answers there: a port taken meanwhile by
 * another test's server, or two picks handed the same port, make this one exit and it tries a new one.
 */
async function startOwn(
  build: (port: number) => string[],
  password: string,
  nodes: Map<number, ChildProcess>,
): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = serve(build(port));
    const exited = new Promise<'exited'>((r) => child.once('exit', () => r('exited')));
    const end = Date.now() + 10_000;
    while (Date.now() < end && child.exitCode === null && child.signalCode === null) {
      try {
        const pid = await ask(
          port,
          password,
          async (r) => /process_id:(\d+)/.exec(await r.info('server'))?.[1],
        );
        if (Number(pid) === child.pid) {
          nodes.set(port, child);
          return port;
        }
        lastError = new Error(`port ${port} is answered by pid ${pid}, not ${child.pid}`);
      } catch (error) {
        lastError = error;
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 50))]);
    }
    child.kill('SIGKILL');
  }
  throw new Error(`sentinel group: could not start redis-server ${build(0).join(' ')}: ${String(lastError)}`);
}

export async function startSentinelGroup(): Promise<SentinelGroup> {
  const dir = mkdtempSync(join(tmpdir(), 'runway-sentinel-'));
  const password = 'data-pw-7c1e';
  const sentinelPassword = 'sentinel-pw-93ad';
  const nodes = new Map<number, ChildProcess>();

  const dataNode =
    (replicaOf?: number) =>
    (port: number): string[] => {
      const nodeDir = join(dir, `node-${port}`);
      mkdirSync(nodeDir, { recursive: true });
      // prettier-ignore
      return [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', nodeDir,
        '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction',
        '--requirepass', password, '--masterauth', password,
        ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : []),
      ];
    };
  const primary = await startOwn(dataNode(), password, nodes);
  const replica = await startOwn(dataNode(primary), password, nodes);
  // Sentinels learn of replicas from the primary's INFO (every 10 s): start them once the link is up.
  await until(
    'the replica to sync',
    () =>
      ask(replica, password, async (r) => (await r.info('replication')).includes('master_link_status:up')),
    15_000,
  );
  const sentinel = (port: number): string[] => {
    const conf = join(dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${NAME} 127.0.0.1 ${primary} 2`,
        `sentinel auth-pass ${NAME} ${password}`,
        `sentinel down-after-milliseconds ${NAME} 500`,
        `sentinel failover-timeout ${NAME} 3000`,
        `sentinel parallel-syncs ${NAME} 1`,
        `requirepass ${sentinelPassword}`,
        '',
      ].join('\n'),
    );
    return [conf, '--sentinel'];
  };
  const sentinelPorts: number[] = [];
  for (let i = 0; i < 3; i++) sentinelPorts.push(await startOwn(sentinel, sentinelPassword, nodes));
  // Ready when every sentinel knows the replica and the other two (a failover needs both). Hellos go
  // out every 2 s through the primary; a loaded CI machine can take a while.
  let seen = '';
  await until(
    'the sentinels to find each other',
    async () => {
      const counts = await Promise.all(
        sentinelPorts.map((port) =>
          ask(port, sentinelPassword, async (s) => {
            const replicas = (await s.call('SENTINEL', 'REPLICAS', NAME)) as unknown[];
            const peers = (await s.call('SENTINEL', 'SENTINELS', NAME)) as unknown[];
            return { port, replicas: replicas.length, peers: peers.length };
          }),
        ),
      );
      seen = counts.map((c) => `${c.port}: ${c.replicas} replica(s), ${c.peers} peer(s)`).join('; ');
      return counts.every((c) => c.replicas === 1 && c.peers === 2);
    },
    40_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)} (last seen: ${seen})`);
  });

  // +switch-master is published the moment a sentinel names the new primary: no client can have
  // reached the new primary through Sentinel before the earliest of these.
  let switchedAt: number | undefined;
  const listeners = sentinelPorts.map((port) => {
    const sub = client(port, sentinelPassword);
    sub.on('message', () => (switchedAt ??= Date.now()));
    return sub;
  });
  await Promise.all(listeners.map(async (sub) => sub.connect().then(() => sub.subscribe('+switch-master'))));

  const primaryPort = () =>
    ask(sentinelPorts[0] as number, sentinelPassword, async (s) => {
      const reply = (await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME)) as [string, string];
      return Number(reply[1]);
    });

  const query = `password=${password}&sentinelPassword=${sentinelPassword}`;
  return {
    url: `redis+sentinel://${sentinelPorts.map((p) => `127.0.0.1:${p}`).join(',')}/${NAME}?${query}`,
    name: NAME,
    password,
    sentinelPassword,
    primaryPort,
    async killPrimary() {
      const port = await primaryPort();
      const child = nodes.get(port);
      if (!child) throw new Error(`no process on the primary's port ${port}`);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      return port;
    },
    async freezePrimary() {
      const port = await primaryPort();
      const child = nodes.get(port);
      if (!child) throw new Error(`no process on the primary's port ${port}`);
      child.kill('SIGSTOP');
      return port;
    },
    async waitForFailover(oldPort, timeoutMs = 20_000) {
      let now = oldPort;
      await until(
        'the sentinels to promote the replica',
        async () => {
          now = await primaryPort();
          if (now === oldPort) return false;
          return ask(now, password, async (r) => (await r.set('sentinel-test-probe', '1')) === 'OK');
        },
        timeoutMs,
      );
      return now;
    },
    switchedAt: () => switchedAt,
    async stop() {
      for (const sub of listeners) sub.disconnect();
      await Promise.all(
        [...nodes.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGCONT'); // a frozen one (freezePrimary) must run to take its SIGKILL
              child.kill('SIGKILL');
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
