// What may be released: `v?MAJOR.MINOR.PATCH` with optional `-pre`/`+build` (semver), or a git SHA.
// Versions end up in command lines and URLs, so anything else is refused before it gets near one.
import semver from 'semver';

export type VersionCheck =
  { ok: true; version: string; kind: 'semver' | 'sha' } | { ok: false; error: string };

const SHA = /^[0-9a-f]{7,40}$/i;
const HEX = /^[0-9a-f]+$/i;
const SEMVER_CHARS = /^[0-9A-Za-z.+-]+$/;
const USAGE =
  'use a version like v1.2.3 (with optional -pre or +build parts) or a git SHA of 7 to 40 hex digits';

/** The version as the user wrote it (trimmed), or a sentence saying why it is not one. */
export function validateVersion(text: string): VersionCheck {
  const version = text.trim();
  if (version === '') return { ok: false, error: `a version is needed: ${USAGE}` };
  if (SHA.test(version)) return { ok: true, version, kind: 'sha' };
  const bare = version.startsWith('v') ? version.slice(1) : version;
  // semver.valid trims and accepts a second "v": check the characters so what was typed is the version.
  if (SEMVER_CHARS.test(bare) && !bare.startsWith('v') && semver.valid(bare) !== null) {
    return { ok: true, version, kind: 'semver' };
  }
  return { ok: false, error: explain(version) };
}

function explain(version: string): string {
  const shown = version.length > 60 ? `${version.slice(0, 60)}…` : version;
  const twoPart = /^v?(\d+)\.(\d+)$/.exec(version);
  if (twoPart) return `"${shown}" is not a version: it needs three parts (did you mean ${version}.0?)`;
  if (HEX.test(version) && version.length > 40) {
    return `"${shown}" is not a version: a git SHA has at most 40 hex digits, this has ${version.length}`;
  }
  if (HEX.test(version) && /[a-f]/i.test(version) && version.length < 7) {
    return `"${shown}" is not a version: a git SHA needs at least 7 hex digits`;
  }
  return `"${shown}" is not a version: ${USAGE}`;
}
