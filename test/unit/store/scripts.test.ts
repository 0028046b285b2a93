import { describe, expect, it } from 'vitest';
import { scripts } from '../../../src/store/scripts.ts';

describe('the Lua scripts', () => {
  it('have their includes inlined', () => {
    for (const script of Object.values(scripts)) {
      expect(script.source).not.toMatch(/@include/);
      expect(script.sha).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(scripts.saveRelease.source).toContain('local function appendAudit');
    expect(scripts.saveRelease.source).toContain('local function pushOutbox');
  });

  it('each open with a header saying their input and output', () => {
    for (const script of Object.values(scripts)) {
      expect(script.source.startsWith('--[[')).toBe(true);
      expect(script.source).toMatch(/Input:[\s\S]*Output:/);
    }
  });
});
