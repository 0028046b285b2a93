import { describe, expect, it } from 'vitest';
import {
  atLeastAsSevere,
  downgradeRefusal,
  incidentFreezeBlock,
  incidentFreezes,
  isDowngrade,
  type OpenIncident,
} from '../../../src/release/start-guards.ts';
import { startPolicy } from '../../../src/release/policy.ts';
import type { Severity } from '../../../src/release/types.ts';

const SEVS: Severity[] = ['sev1', 'sev2', 'sev3', 'sev4'];
const incident = (severity: Severity, id = `inc-20261201-${severity}`): OpenIncident => ({
  id,
  severity,
  title: `${severity} trouble`,
  channelId: 'C0INC',
});

describe('freeze_on_incident', () => {
  // Each open severity against each setting: frozen when the incident is that severe or worse.
  const table = SEVS.flatMap((setting, s) => SEVS.map((open, o) => ({ setting, open, frozen: o <= s })));
  it.each(table)('setting $setting, open $open → frozen $frozen', ({ setting, open, frozen }) => {
    expect(atLeastAsSevere(open, setting)).toBe(frozen);
    const block = incidentFreezeBlock(setting, [incident(open)]);
    if (frozen) {
      expect(block).toContain(`inc-20261201-${open}`);
      expect(block).toContain('#{C0INC}');
      expect(block).toContain('--hotfix');
    } else expect(block).toBeNull();
  });

  it('does nothing without the setting or without open incidents', () => {
    expect(incidentFreezeBlock(undefined, [incident('sev1')])).toBeNull();
    expect(incidentFreezeBlock('sev4', [])).toBeNull();
  });

  it('names the worst freezing incident first and counts the others', () => {
    const block = incidentFreezeBlock('sev3', [incident('sev3'), incident('sev1'), incident('sev4')]);
    expect(block).toMatch(/sev1 inc-20261201-sev1 "sev1 trouble".*\(and 1 more\)/);
  });

  it('is a start block that --hotfix overrides (audited) and a dry run reports', () => {
    const block = incidentFreezeBlock('sev2', [incident('sev2')]);
    const base = { window: { open: true }, freeze: null, incidentFreeze: block, dryRun: false };
    expect(startPolicy(base).refusal).toBe(block);
    const hotfix = startPolicy({ ...base, hotfix: { reason: 'payments down' } });
    expect(hotfix.refusal).toBeNull();
    expect(hotfix.overrides).toHaveLength(1);
    expect(hotfix.overrides[0]).toMatch(/^hotfix override: Releases are frozen while a sev2/);
    const dry = startPolicy({ ...base, dryRun: true });
    expect(dry.refusal).toBeNull();
    expect(dry.notes[0]).toMatch(/A real start would be refused: .*inc-20261201-sev2/);
  });

  it('audits the whole block it overrode, a title with ". " and the channel included', () => {
    const open = { ...incident('sev2'), title: 'DB down. Writes failing' };
    const block = incidentFreezeBlock('sev2', [open]);
    const base = { window: { open: true }, freeze: null, incidentFreeze: block, dryRun: false };
    const [override] = startPolicy({ ...base, hotfix: { reason: 'payments down' } }).overrides;
    expect(override).toBe(
      'hotfix override: Releases are frozen while a sev2 or worse incident is open: sev2 inc-20261201-sev2 "DB down. Writes failing" in #{C0INC}',
    );
  });

  it('lists the frozen targets for the handoff', () => {
    const targets = [
      { service: 'checkout', environment: 'production', setting: 'sev2' as const },
      { service: 'checkout', environment: 'staging', setting: null },
      { service: 'search', environment: 'production', setting: 'sev1' as const },
    ];
    const frozen = incidentFreezes(targets, [incident('sev2')]);
    expect(frozen.map((f) => `${f.service}/${f.environment}`)).toEqual(['checkout/production']);
    expect(frozen[0]?.incident.id).toBe('inc-20261201-sev2');
  });
});

describe('downgrades', () => {
  const table: { version: string; live: string | null; down: boolean }[] = [
    { version: 'v1.2.2', live: 'v1.2.3', down: true },
    { version: 'v1.2.3', live: 'v1.2.3', down: false },
    { version: 'v1.2.4', live: 'v1.2.3', down: false },
    { version: '1.10.0', live: 'v1.9.9', down: false }, // numeric, not lexical
    { version: 'v1.9.9', live: '1.10.0', down: true },
    { version: 'v2.0.0-rc.1', live: 'v2.0.0', down: true }, // a pre-release sorts before its release
    { version: 'v2.0.0', live: 'v2.0.0-rc.1', down: false },
    { version: 'v2.0.0-rc.1', live: 'v2.0.0-rc.2', down: true },
    { version: 'v2.0.0-rc.1', live: 'v1.9.0', down: false },
    { version: 'v1.2.3+build.9', live: 'v1.2.3+build.10', down: false }, // build metadata has no order
    { version: 'abc1234', live: 'v1.2.3', down: false }, // SHAs are never compared
    { version: 'v1.0.0', live: 'abc1234def', down: false },
    { version: '0000000', live: 'fffffff', down: false },
    { version: 'v1.0.0', live: null, down: false }, // nothing live yet
  ];
  it.each(table)('$version over live $live → downgrade $down', ({ version, live, down }) => {
    expect(isDowngrade(version, live)).toBe(down);
    const refusal = downgradeRefusal({ service: 'checkout', environment: 'production', version, live });
    if (down) {
      expect(refusal).toContain(`/release rollback checkout to ${version}`);
      expect(refusal).toContain('--downgrade');
    } else expect(refusal).toBeNull();
  });

  it('names the environment in its pointer when it is not the default one', () => {
    const input = {
      service: 'checkout',
      version: 'v1.2.0',
      live: 'v1.3.0',
      defaultEnvironment: 'production',
    };
    expect(downgradeRefusal({ ...input, environment: 'staging' })).toContain(
      'Use /release rollback checkout in staging to v1.2.0,',
    );
    expect(downgradeRefusal({ ...input, environment: 'production' })).toContain(
      'Use /release rollback checkout to v1.2.0,',
    );
  });
});
