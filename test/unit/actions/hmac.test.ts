import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from '../../../src/actions/hmac.ts';

describe('signBody', () => {
  // Known HMAC-SHA256 vectors (the first is the well-known Wikipedia example).
  const cases: [string, string, string][] = [
    [
      'key',
      'The quick brown fox jumps over the lazy dog',
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    ],
    ['', '', 'sha256=b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad'],
  ];
  it.each(cases)('HMAC(%j, %j)', (secret, body, signature) => {
    expect(signBody(secret, body)).toBe(signature);
    expect(signBody(secret, Buffer.from(body))).toBe(signature);
  });
});

describe('verifySignature', () => {
  const body = '{"weight":"10"}';
  const good = signBody('s3cret', body);
  const cases: [string, string | undefined, boolean][] = [
    ['matching', good, true],
    ['missing', undefined, false],
    ['other secret', signBody('other', body), false],
    ['uppercase hex', good.toUpperCase(), false],
    ['truncated', good.slice(0, -1), false],
  ];
  it.each(cases)('%s', (_name, header, ok) => {
    expect(verifySignature('s3cret', body, header)).toBe(ok);
  });

  it('signs the exact bytes: whitespace changes the signature', () => {
    expect(verifySignature('s3cret', '{"weight": "10"}', good)).toBe(false);
  });
});
