// `runway schema`: zod's JSON Schema of the runbook file, checked with ajv (a second implementation):
// it accepts the annotated example and the import's drafts, and refuses broken runbooks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, type Document } from 'yaml';
import { schemaCommand } from '../../../src/cli/schema.ts';
import { widenLetters } from '../../../src/config/json-schema.ts';
import { importRunbook } from '../../../src/import/import.ts';

const schema = JSON.parse(schemaCommand().output) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const example = () => parseDocument(readFileSync('runway.example.yml', 'utf8'));
const ENV = ['services', 'checkout', 'environments', 'production'];

function errors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('runway schema', () => {
  it('is draft 2020-12 JSON and accepts the annotated example', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(errors(example().toJS())).toEqual([]);
  });

  it('describes actions, gates and stages kind by kind, not as "anything"', () => {
    const production = example();
    production.setIn([...ENV, 'actions', 'deploy'], { command: './deploy.sh' }); // a string where argv is a list
    production.setIn([...ENV, 'gates', 'error_rate', 'max'], '0.5%'); // a string where a number goes
    production.addIn([...ENV, 'stages'], { traffic: 150 }); // above 100
    production.addIn([...ENV, 'stages'], { tarffic: 10 }); // no such stage kind
    production.setIn([...ENV, 'actions', 'smoke', 'http', 0, 'expect_statuz'], 200); // unknown key inside a check
    expect(validate(production.toJS())).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    for (const at of [
      '/services/checkout/environments/production/actions/deploy',
      '/services/checkout/environments/production/gates/error_rate',
      '/services/checkout/environments/production/stages/10',
      '/services/checkout/environments/production/stages/11',
      '/services/checkout/environments/production/actions/smoke',
    ]) {
      expect(
        paths.some((p) => p.startsWith(at)),
        at,
      ).toBe(true);
    }
  });

  it.each<[string, (d: Document) => void]>([
    ['no version', (d) => d.delete('version')],
    ['version 2', (d) => d.set('version', 2)],
    ['an unknown top-level key', (d) => d.set('servics', {})],
    ['an unknown on_breach', (d) => d.setIn([...ENV, 'on_breach'], 'panic')],
    ['approvals.required as text', (d) => d.setIn([...ENV, 'approvals', 'required'], 'two')],
    ['a pre-flight item without a title', (d) => d.deleteIn([...ENV, 'preflight', 0, 'title'])],
    ['a hold written "30 min"', (d) => d.setIn([...ENV, 'stages', 1, 'hold'], '30 min')],
    ['a gate for written "5 minutes"', (d) => d.setIn([...ENV, 'gates', 'error_rate', 'for'], '5 minutes')],
    [
      'a service name with a space',
      (d) => d.setIn(['services', 'check out'], d.getIn(['services', 'checkout'])),
    ],
  ])('rejects a runbook with %s', (_what, breakIt) => {
    const doc = example();
    breakIt(doc);
    expect(errors(doc.toJS())).not.toEqual([]);
  });

  it('takes durations as runway check does: 500ms, 1h30m, or a number of seconds', () => {
    const doc = example();
    doc.setIn([...ENV, 'stages', 1, 'hold'], '1h30m');
    doc.setIn([...ENV, 'gates', 'error_rate', 'every'], 45);
    doc.setIn([...ENV, 'actions', 'deploy', 'timeout'], '500ms');
    expect(errors(doc.toJS())).toEqual([]);
  });

  it('takes a ${NAME} where runway check takes its value: a duration, a New Relic account id', () => {
    const doc = example();
    doc.setIn([...ENV, 'stages', 1, 'hold'], '${CANARY_HOLD}');
    doc.setIn([...ENV, 'actions', 'deploy', 'timeout'], ' 5m ');
    const withAccount = (accountId: unknown) => {
      type Env = { gates: Record<string, unknown> };
      const file = doc.toJS() as { services: Record<string, { environments: Record<string, Env> }> };
      file.services['checkout']!.environments['production']!.gates['nr_errors'] = {
        newrelic: { account_id: accountId, api_key: '${NR_KEY}', nrql: 'SELECT 1' },
        max: 1,
      };
      return file;
    };
    expect(errors(withAccount('${NR_ACCOUNT_ID}'))).toEqual([]);
    expect(errors(withAccount('1234567'))).toEqual([]);
    expect(errors(withAccount(1234567))).toEqual([]);
    expect(errors(withAccount('acme'))).not.toEqual([]);
  });

  it('keeps names case-insensitive, as runway check reads them', () => {
    const doc = example();
    doc.setIn(['services', 'Checkout'], doc.getIn(['services', 'checkout']));
    doc.deleteIn(['services', 'checkout']);
    expect(errors(doc.toJS())).toEqual([]);
    expect(widenLetters('^[a-z0-9][a-z0-9_-]*$')).toBe('^[a-zA-Z0-9][a-zA-Z0-9_-]*$');
    expect(widenLetters('^abc$')).toBeNull();
  });

  it('accepts what runway import writes for the reference runbooks', () => {
    for (const name of ['000', '001', '002', '003', '004']) {
      const markdown = readFileSync(join('test/fixtures/runbooks', `${name}.md`), 'utf8');
      expect(errors(parse(importRunbook(markdown, { source: `${name}.md` }))), name).toEqual([]);
    }
  });
});
