// Installing redis-server with apt-get, for a fresh Debian/Ubuntu box run as root (SPEC §1). Each
// step is an argv, never a shell string. apt's output goes to stderr so stdout stays JSON logs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from '../log.ts';
import { RedisSetupError } from './errors.ts';

export type Installer = (log: Logger) => Promise<void>;

export const APT_STEPS: readonly (readonly string[])[] = [
  ['apt-get', 'update'],
  ['apt-get', 'install', '-y', 'redis-server'],
];

export function isDebianLike(): boolean {
  return existsSync('/etc/debian_version');
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export const aptInstallRedis: Installer = async (log) => {
  for (const [command, ...args] of APT_STEPS) {
    if (!command) continue;
    log.info({ command: [command, ...args].join(' ') }, 'installing redis-server');
    await run(command, args);
  }
};

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    child.once('error', (err) =>
      reject(
        new RedisSetupError('REDIS_INSTALL_FAILED', `${command} ${args.join(' ')} failed: ${err.message}`, {
          cause: err,
        }),
      ),
    );
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new RedisSetupError(
            'REDIS_INSTALL_FAILED',
            `${command} ${args.join(' ')} exited with ${signal ?? code}; install redis-server yourself or set REDIS_URL`,
          ),
        );
    });
  });
}
