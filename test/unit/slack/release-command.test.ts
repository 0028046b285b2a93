import { describe, expect, it } from 'vitest';
import { isThisChannel } from '../../../commands/release.ts';
import { parseReleaseCommand } from '../../../src/slack/parse/release-command.ts';

const many = { services: ['checkout', 'search'], environments: ['production', 'staging'] };
const one = { services: ['checkout'], environments: ['production', 'staging'] };

describe('/release text → command', () => {
  it.each([
    ['start checkout v1.2.3', many, { verb: 'start', service: 'checkout', version: 'v1.2.3', dryRun: false }],
    ['start v1.2.3', one, { verb: 'start', version: 'v1.2.3', dryRun: false }],
    [
      'start checkout 1.2.3 to staging',
      many,
      { verb: 'start', service: 'checkout', version: '1.2.3', environment: 'staging', dryRun: false },
    ],
    [
      'start checkout v1.3.0-rc.1+build.5 --dry-run',
      many,
      { verb: 'start', service: 'checkout', version: 'v1.3.0-rc.1+build.5', dryRun: true },
    ],
    [
      'start checkout abc1234 --hotfix "CVE-2026-1 fix" Adds Apple Pay',
      many,
      {
        verb: 'start',
        service: 'checkout',
        version: 'abc1234',
        dryRun: false,
        hotfix: 'CVE-2026-1 fix',
        notes: 'Adds Apple Pay',
      },
    ],
    [
      'start checkout v2.0.0 --hotfix “curly quotes”',
      many,
      { verb: 'start', service: 'checkout', version: 'v2.0.0', dryRun: false, hotfix: 'curly quotes' },
    ],
    // Keywords in any case, like the verb: TO staging must not become notes (and a release to production).
    [
      'START checkout v2.0.0 TO staging',
      many,
      { verb: 'start', service: 'checkout', version: 'v2.0.0', environment: 'staging', dryRun: false },
    ],
    ['rollback checkout To v1.2.2', many, { verb: 'rollback', service: 'checkout', toVersion: 'v1.2.2' }],
    ['rollback TO v1.2.2', many, { verb: 'rollback', toVersion: 'v1.2.2' }],
    // `in <env>` names the environment of a service running in several; "in" before anything else is a reason.
    [
      'rollback checkout in staging to v1.2.0 bad canary',
      many,
      {
        verb: 'rollback',
        service: 'checkout',
        environment: 'staging',
        toVersion: 'v1.2.0',
        reason: 'bad canary',
      },
    ],
    ['pause checkout IN staging', many, { verb: 'pause', service: 'checkout', environment: 'staging' }],
    ['promote in staging', one, { verb: 'promote', environment: 'staging' }],
    ['pause checkout in a hurry', many, { verb: 'pause', service: 'checkout', reason: 'in a hurry' }],
    ['freeze ALL deploy freeze', many, { verb: 'freeze', scope: 'all', reason: 'deploy freeze' }],
    ['unfreeze All', many, { verb: 'unfreeze', scope: 'all' }],
    // Smart dashes: macOS and iOS turn a typed -- into an em dash (or en dash).
    [
      'start checkout v2.0.0 —dry-run',
      many,
      { verb: 'start', service: 'checkout', version: 'v2.0.0', dryRun: true },
    ],
    [
      'start checkout v2.0.0 –hotfix “db on fire” —downgrade',
      many,
      {
        verb: 'start',
        service: 'checkout',
        version: 'v2.0.0',
        dryRun: false,
        downgrade: true,
        hotfix: 'db on fire',
      },
    ],
    [
      'start checkout v2.0.0 fixes — see —notes',
      many,
      { verb: 'start', service: 'checkout', version: 'v2.0.0', dryRun: false, notes: 'fixes — see —notes' },
    ],
    [
      'start checkout v2.0.0 to production new checkout & more',
      many,
      {
        verb: 'start',
        service: 'checkout',
        version: 'v2.0.0',
        environment: 'production',
        dryRun: false,
        notes: 'new checkout & more',
      },
    ],
    [
      'start checkout v1.2.3 --dry-run --hotfix "a b" Adds “curly” quotes, a lone " and --x',
      many,
      {
        verb: 'start',
        service: 'checkout',
        version: 'v1.2.3',
        dryRun: true,
        hotfix: 'a b',
        notes: 'Adds “curly” quotes, a lone " and --x',
      },
    ],
    [
      'start checkout v1.2.3 to staging —dry-run —downgrade fix: see "PR 12',
      many,
      {
        verb: 'start',
        service: 'checkout',
        version: 'v1.2.3',
        environment: 'staging',
        dryRun: true,
        downgrade: true,
        notes: 'fix: see "PR 12',
      },
    ],
    ['status', many, { verb: 'status' }],
    ['status search', many, { verb: 'status', service: 'search' }],
    ['list', many, { verb: 'list' }],
    ['history checkout', many, { verb: 'history', service: 'checkout' }],
    ['rollback', one, { verb: 'rollback' }],
    [
      'rollback checkout to v1.2.2 latency regression',
      many,
      { verb: 'rollback', service: 'checkout', toVersion: 'v1.2.2', reason: 'latency regression' },
    ],
    [
      'pause checkout waiting for the DBA',
      many,
      { verb: 'pause', service: 'checkout', reason: 'waiting for the DBA' },
    ],
    ['resume', many, { verb: 'resume' }],
    ['promote search', many, { verb: 'promote', service: 'search' }],
    ['abort', many, { verb: 'abort' }],
    ['freeze all Black Friday', many, { verb: 'freeze', scope: 'all', reason: 'Black Friday' }],
    ['freeze checkout', many, { verb: 'freeze', scope: 'checkout' }],
    ['unfreeze all', many, { verb: 'unfreeze', scope: 'all' }],
    [
      'audit checkout-production-mfx3k2a-9f1c',
      many,
      { verb: 'audit', releaseId: 'checkout-production-mfx3k2a-9f1c' },
    ],
    ['help', many, { verb: 'help' }],
    ['', many, { verb: 'help' }],
    ['START checkout v1.0.0', many, { verb: 'start', service: 'checkout', version: 'v1.0.0', dryRun: false }],
    // A reason without a service: quoted with several services, as it comes with one.
    ['pause "waiting for the DBA"', many, { verb: 'pause', reason: 'waiting for the DBA' }],
    ['pause waiting for the DBA', one, { verb: 'pause', reason: 'waiting for the DBA' }],
    ['rollback to v1.2.2', many, { verb: 'rollback', toVersion: 'v1.2.2' }],
    ['freeze "code freeze"', many, { verb: 'freeze', scope: 'all', reason: 'code freeze' }],
    ['freeze holidays', one, { verb: 'freeze', scope: 'all', reason: 'holidays' }],
  ])('%s', (text, names, expected) => {
    expect(parseReleaseCommand(text, names)).toEqual({ ok: true, command: expected });
  });

  // Notes are free text (SPEC 2): as typed from where they begin, only trimmed. Options go before them.
  it.each([
    ['notes with "quoted words" inside', 'notes with "quoted words" inside'],
    ['5" screens fix', '5" screens fix'],
    ['fixes the --foo flag', 'fixes the --foo flag'],
    ['keeps   its  spacing\nand lines  ', 'keeps   its  spacing\nand lines'],
    ['"quoted notes"', '"quoted notes"'],
    ['new checkout &amp; &lt;more&gt;', 'new checkout & <more>'],
  ])('keeps the notes of start checkout v1.2.3 %j as typed', (typed, kept) => {
    expect(parseReleaseCommand(`start checkout v1.2.3 ${typed}`, many)).toEqual({
      ok: true,
      command: { verb: 'start', service: 'checkout', version: 'v1.2.3', dryRun: false, notes: kept },
    });
  });

  it.each([
    ['fixes the bug --dry-run', { dryRun: true, notes: 'fixes the bug' }],
    ['fixes\n—downgrade the cart', { dryRun: false, downgrade: true, notes: 'fixes the cart' }],
    ['--dry-run', { dryRun: true }],
  ])('honours a flag typed after the notes began: %j', (typed, fields) => {
    expect(parseReleaseCommand(`start checkout v1.2.3 ${typed}`, many)).toEqual({
      ok: true,
      command: { verb: 'start', service: 'checkout', version: 'v1.2.3', ...fields },
    });
  });

  it('names the unknown service even when the runbook has one service', () => {
    const result = parseReleaseCommand('start payments v1.0.0', one);
    expect(!result.ok && result.error).toMatch(/no service "payments"/);
  });

  it.each([
    ['start', /Say which version/],
    ['start checkout', /Say which version/],
    ['start payments v1.0.0', /no service "payments"/],
    ['start checkout latest', /not valid/],
    ['start checkout 1.2', /three parts/],
    ['start checkout v1.2.3;rm -rf /', /not valid/],
    ['start checkout $(reboot)', /not valid/],
    ['start checkout v1.2.3 to prod', /no environment "prod"/],
    ['start checkout v1.2.3 to', /Say which environment/],
    ['start checkout v1.2.3 --hotfix', /needs a reason/],
    ['start checkout v1.2.3 --hotfix --dry-run', /needs a reason/],
    ['start checkout v1.2.3 --force', /Unknown option --force/],
    ['start checkout v1.2.3 --hotfix "unclosed', /quote is not closed/],
    [`start checkout v1.2.3 ${'x'.repeat(1001)}`, /limited to 1000 characters/],
    [`start checkout v1.2.3 a${' '.repeat(999)}b`, /limited to 1000 characters/],
    ['start checkout "v1.2.3', /quote is not closed/],
    ['pause checkout "waiting for', /quote is not closed/],
    // An option after the notes began would be read as notes: a --dry-run there must not start a real release.
    ['start checkout v1.2.3 fixes the bug —hotfix "late"', /Options go before the notes/],
    ['deploy checkout v1', /^"deploy" is not a \/release command\. It takes start, status,/],
    [
      'strat checkout v1.2.3',
      /^"strat" is not a \/release command\. Did you mean \*start\*\? It takes start, /,
    ],
    ['rollbak', /Did you mean \*rollback\*\?/],
    ['list everything', /takes no arguments/],
    ['audit', /Say which release/],
    ['audit ../../etc/passwd', /releaseId/],
    ['rollback checkout to yesterday', /not valid/],
    ['resume checkout now please', /Unexpected "now"/],
    ['unfreeze payments', /no service "payments"/],
    // A mistyped service must not act on whichever release is active, nor freeze everything.
    ['abort paymnts', /no service "paymnts" in the runbook; it has checkout, search\./],
    ['pause chekout waiting', /no service "chekout"/],
    ['promote serch', /no service "serch"/],
    ['rollback serch', /no service "serch"/],
    ['status serch', /no service "serch"/],
    ['freeze payments', /no service "payments" in the runbook; it has checkout, search or all/],
  ])('refuses %j', (text, error) => {
    const result = parseReleaseCommand(text, many);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(error);
  });
});

describe('where the card goes, as the start reply says it', () => {
  it.each([
    ['#releases', { channel: 'CRELEASES', channelName: 'releases' }, true],
    ['releases', { channel: 'CRELEASES', channelName: 'releases' }, true],
    ['CRELEASES', { channel: 'CRELEASES', channelName: 'releases' }, true],
    ['#releases', { channel: 'CONCALL', channelName: 'on-call' }, false],
    ['CRELEASES', { channel: 'CONCALL' }, false],
  ])('%s typed in %j: here is %s', (configured, where, here) => {
    expect(isThisChannel(configured, where)).toBe(here);
  });
});
