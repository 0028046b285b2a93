// A real PostgreSQL for tests (Debian's `postgresql` package): initdb into a temp dir, `postgres` on a
// free port on 127.0.0.1 with its unix socket in that dir, trust auth, no fsync. Postgres refuses to
// run as root, so as root (CI) it runs as the `postgres` user through runuser. Killed when the test
// process exits, even if afterAll never ran.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/redis/free-port.ts';

export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  database: string;
  stop(): Promise<void>;
}

/** Debian puts each major version in /usr/lib/postgresql/<ver>/bin; take the newest (or $PG_BIN). */
export function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error(`no PostgreSQL under ${root} (apt-get install postgresql)`);
  return join(root, versions[0]!, 'bin');
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const RUN_AS = 'postgres';

/** Some sandboxes ship /dev/null without write for others, and initdb redirects to it. */
function devNullWritableByOthers(): boolean {
  return (statSync('/dev/null').mode & 0o002) !== 0;
}

/**
 * argv that runs `bin` as the postgres user when we are root, as ourselves otherwise. When /dev/null
 * is not writable for other users, a private mount namespace gets a 0666 null device bound over it
 * (the host's /dev/null is left as it is).
 */
function asPostgresUser(dir: string, bin: string, args: string[]): [string, string[]] {
  if (!isRoot) return [bin, args];
  if (devNullWritableByOthers()) return ['runuser', ['-u', RUN_AS, '--', bin, ...args]];
  const nullDevice = join(dir, 'null');
  if (!existsSync(nullDevice)) {
    execFileSync('mknod', ['-m', '666', nullDevice, 'c', '1', '3']);
  }
  const script = `mount --bind "$0" /dev/null && exec runuser -u ${RUN_AS} -- "$@"`;
  return ['unshare', ['-m', '--', 'sh', '-c', script, nullDevice, bin, ...args]];
}

/** The postmaster's pid from its pid file: runuser sits in between, so the child's pid is not it. */
function postmasterPid(data: string): number | null {
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

const run = promisify(execFile);

/** Temp dir of each server not yet stopped. */
const dirs = new Set<string>();
const killAll = (): void => {
  for (const dir of dirs) {
    const pid = postmasterPid(join(dir, 'data'));
    try {
      if (pid) process.kill(pid, 'SIGQUIT'); // immediate shutdown
    } catch {
      // already gone
    }
    // Best effort: a dying postmaster may still write a file or two.
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
};
process.on('exit', killAll);
// A signal ends Node without 'exit': stop the servers, then let the signal do what it would have done.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'runway-pg-'));
  dirs.add(dir);
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', RUN_AS], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', RUN_AS], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const user = isRoot ? RUN_AS : userInfo().username;
  const [initBin, initArgs] = asPostgresUser(dir, join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    user,
    '-A',
    'trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  await run(initBin, initArgs);

  const port = await freePort();
  const [pgBin, pgArgs] = asPostgresUser(dir, join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ]);
  const child: ChildProcess = spawn(pgBin, pgArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));

  const readyArgs = ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', user];
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}): ${stderr}`);
    try {
      await run(join(bin, 'pg_isready'), readyArgs);
      break;
    } catch {
      // not accepting connections yet
    }
    if (Date.now() > deadline) throw new Error(`postgres did not become ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    host: '127.0.0.1',
    port,
    user,
    database: 'postgres',
    stop: async () => {
      const pid = postmasterPid(data);
      dirs.delete(dir);
      if (child.exitCode === null && pid) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(pid, 'SIGINT'); // fast shutdown
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
