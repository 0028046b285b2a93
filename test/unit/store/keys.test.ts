import { describe, expect, it } from 'vitest';
import { storeKeys } from '../../../src/store/keys.ts';

describe('store keys', () => {
  it('builds every key from the prefix, runway by default', () => {
    const k = storeKeys();
    expect([
      k.release('r1'),
      k.active('checkout', 'production'),
      k.activeSet(),
      k.history(),
      k.serviceHistory('checkout'),
      k.deployed('checkout', 'production'),
      k.freeze(),
      k.audit(),
      k.auditByRelease('r1'),
      k.auditByIncident('INC-1'),
      k.outbox(),
      k.releaseOutbox('r1'),
      k.actionRun('r1-stage-0-1'),
      k.dedupe('slack:abc'),
    ]).toEqual([
      'runway:release:r1',
      'runway:active:checkout:production',
      'runway:active-set',
      'runway:history',
      'runway:history:checkout',
      'runway:deployed:checkout:production',
      'runway:freeze',
      'runway:audit',
      'runway:audit:release:r1',
      'runway:audit:incident:INC-1',
      'runway:outbox',
      'runway:outbox:r1',
      'runway:action:r1-stage-0-1',
      'runway:dedupe:slack:abc',
    ]);
  });

  it('keeps a test prefix on every key', () => {
    const k = storeKeys('test-1234');
    expect(k.prefix).toBe('test-1234');
    expect(k.active('a', 'b')).toBe('test-1234:active:a:b');
  });
});
