import { describe, expect, it } from 'vitest';
import {
  fillKnown,
  renderDeep,
  renderTemplate,
  stringsIn,
  TemplateError,
  unknownPlaceholders,
} from '../../../src/config/template.ts';

describe('templates', () => {
  it.each([
    ['./deploy.sh {{version}}', { version: 'v1.2.3' }, './deploy.sh v1.2.3'],
    [
      '{{ service }}/{{environment}}',
      { service: 'checkout', environment: 'production' },
      'checkout/production',
    ],
    ['weight={{percent}}', { percent: 10 }, 'weight=10'],
    ['no placeholders', {}, 'no placeholders'],
  ])('renders %j', (text, vars, expected) => {
    expect(renderTemplate(text, vars)).toBe(expected);
  });

  it('refuses to render a placeholder with no value rather than pass an empty argument', () => {
    expect(() => renderTemplate('rollback.sh {{previous_version}}', { previous_version: null })).toThrow(
      TemplateError,
    );
  });

  it('renders every string inside a webhook body', () => {
    expect(
      renderDeep({ weight: '{{percent}}', tags: ['{{service}}'], n: 1 }, { percent: 50, service: 'api' }),
    ).toEqual({
      weight: '50',
      tags: ['api'],
      n: 1,
    });
  });

  it.each([
    ['{{version}} {{previous_version}} {{release_id}} {{requester}}', []],
    ['{{verison}}', ['verison']],
    ['{{ percent }} {{pct}} {{env}}', ['pct', 'env']],
  ])('finds unknown placeholders in %j', (text, unknown) => {
    expect(unknownPlaceholders(text)).toEqual(unknown);
  });

  it('lists the strings inside nested values', () => {
    expect(stringsIn({ a: ['x', { b: 'y' }], c: 3 })).toEqual(['x', 'y']);
  });

  it.each([
    ['./deploy.sh {{version}}', { version: 'v1.2.3' }, './deploy.sh v1.2.3'],
    [
      './rollback.sh {{ previous_version }}',
      { previous_version: null },
      './rollback.sh {{ previous_version }}',
    ],
    ['./traffic.sh {{percent}} {{nope}}', { percent: 0 }, './traffic.sh 0 {{nope}}'],
    ['echo {{requester}}', { requester: '' }, 'echo '],
  ])('fills the placeholders it knows in %s and leaves the others visible', (text, vars, expected) => {
    expect(fillKnown(text, vars)).toBe(expected);
  });
});
