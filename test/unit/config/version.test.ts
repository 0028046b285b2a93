import { describe, expect, it } from 'vitest';
import { validateVersion } from '../../../src/config/version.ts';

describe('validateVersion', () => {
  it.each([
    ['1.2.3', 'semver'],
    ['v1.2.3', 'semver'],
    ['v1.3.0-bad', 'semver'],
    ['1.0.0+build.5', 'semver'],
    ['2.0.0-rc.1+sha.abc123', 'semver'],
    ['abcdef1', 'sha'],
    ['0123456789abcdef0123456789abcdef01234567', 'sha'],
    ['ABCDEF1', 'sha'],
  ])('accepts %j as a %s version and keeps it as typed', (text, kind) => {
    expect(validateVersion(text)).toEqual({ ok: true, version: text, kind });
  });

  it.each([
    ['1.2', 'did you mean 1.2.0?'],
    ['v1.2.3.4', 'is not a version'],
    ['latest', 'is not a version'],
    ['$(rm -rf /)', 'is not a version'],
    ['1.2.3; ls', 'is not a version'],
    ['0123456789abcdef0123456789abcdef012345678', 'at most 40 hex digits, this has 41'],
    ['abc12', 'at least 7 hex digits'],
    ['', 'a version is needed'],
    ['   ', 'a version is needed'],
    ['vv1.2.3', 'is not a version'],
    ['01.2.3', 'is not a version'],
    ['=1.2.3', 'is not a version'],
    ['1.2.3 ', undefined],
  ])('refuses %j with a sentence a person understands', (text, hint) => {
    const result = validateVersion(text);
    if (hint === undefined) {
      // Surrounding spaces are trimmed, not refused.
      expect(result).toEqual({ ok: true, version: '1.2.3', kind: 'semver' });
      return;
    }
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(hint);
  });

  it('says what a version looks like', () => {
    const result = validateVersion('latest');
    expect(result).toEqual({
      ok: false,
      error:
        '"latest" is not a version: use a version like v1.2.3 (with optional -pre or +build parts) or a git SHA of 7 to 40 hex digits',
    });
  });
});
