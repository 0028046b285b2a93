// Pure parts of the Unleash provider and the provider error message; the wire is tested against a
// real Unleash in test/integration/flags/unleash.test.ts.
import { describe, expect, it } from 'vitest';
import { providerMessage } from '../../../src/flags/error-message.ts';
import { pickRolloutStrategy, rolloutPatch, type UnleashStrategy } from '../../../src/flags/unleash.ts';

describe('pickRolloutStrategy', () => {
  const rollout = (id: string, disabled?: boolean | null): UnleashStrategy => ({
    id,
    name: 'flexibleRollout',
    ...(disabled !== undefined ? { disabled } : {}),
  });
  const cases: [string, UnleashStrategy[], string | undefined][] = [
    ['none', [], undefined],
    ['only another kind', [{ id: 'a', name: 'default' }], undefined],
    ['the one flexibleRollout', [{ id: 'a', name: 'default' }, rollout('b')], 'b'],
    ['an enabled one before a disabled one', [rollout('a', true), rollout('b', false)], 'b'],
    ['disabled: null counts as enabled', [rollout('a', true), rollout('b', null)], 'b'],
    ['a disabled one when no other', [rollout('a', true)], 'a'],
    ['the first of two enabled', [rollout('a'), rollout('b')], 'a'],
  ];
  it.each(cases)('%s', (_name, strategies, id) => {
    expect(pickRolloutStrategy(strategies)?.id).toBe(id);
  });
});

describe('rolloutPatch', () => {
  it('sets only the rollout (as a string, as Unleash stores it) and re-enables the strategy', () => {
    expect(rolloutPatch(10)).toEqual([
      { op: 'add', path: '/parameters/rollout', value: '10' },
      { op: 'add', path: '/disabled', value: false },
    ]);
    expect(rolloutPatch(2.5)[0]!.value).toBe('2.5');
  });
});

describe('providerMessage', () => {
  const cases: [string, string, string | null][] = [
    [
      'Unleash',
      '{"id":"x","name":"NotFoundError","message":"There\'s no feature named \\"a\\".","details":[]}',
      'There\'s no feature named "a".',
    ],
    [
      'LaunchDarkly',
      '{"code":"forbidden","message":"Access to the requested resource was denied"}',
      'Access to the requested resource was denied',
    ],
    ['not JSON', '<html>Bad Gateway</html>', null],
    ['empty body', '', null],
    ['no message', '{"code":"x"}', null],
    ['message not a string', '{"message":{"a":1}}', null],
    ['blank message', '{"message":"  "}', null],
    ['a JSON array', '[1,2]', null],
    ['newlines folded', '{"message":"line one\\n  line two"}', 'line one line two'],
  ];
  it.each(cases)('%s', (_name, body, message) => {
    expect(providerMessage(body)).toBe(message);
  });

  it('cuts a long message to 300 characters', () => {
    const out = providerMessage(JSON.stringify({ message: 'x'.repeat(1000) }));
    expect(out).toHaveLength(300);
    expect(out!.endsWith('…')).toBe(true);
  });
});
