import { describe, expect, it } from 'vitest';
import { newRedis, reconnectOnReadonly } from '../../../src/redis/connection.ts';
import { waitForReplica } from '../../../src/redis/replicated.ts';

describe('waitForReplica', () => {
  it('sends nothing to a single server: it has no replica to wait for', async () => {
    const single = newRedis('redis://127.0.0.1:1', { lazyConnect: true });
    try {
      expect(await waitForReplica(single)).toBeNull();
      expect(single.status).toBe('wait'); // never connected
    } finally {
      single.disconnect();
    }
  });

  it('is on for a client made from a Sentinel REDIS_URL', () => {
    const sentinel = newRedis('redis+sentinel://127.0.0.1:1/mymaster', { lazyConnect: true });
    try {
      expect(sentinel.options.sentinels).toEqual([{ host: '127.0.0.1', port: 1 }]);
      expect(sentinel.options.name).toBe('mymaster');
    } finally {
      sentinel.disconnect();
    }
  });
});

describe('reconnectOnReadonly', () => {
  it('reconnects and resends a write that met a demoted primary, and nothing else', () => {
    expect(reconnectOnReadonly(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnectOnReadonly(new Error('ERR wrong number of arguments'))).toBe(false);
    expect(reconnectOnReadonly(new Error('NOSCRIPT No matching script'))).toBe(false);
  });
});
