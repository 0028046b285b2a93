// `runway import`'s work, pure: markdown in, the text of a draft runway.yml out.
import { draftRunbook } from './draft.ts';
import { writeYaml } from './write-yaml.ts';

export { placeholders, SCHEMA_LINE } from './write-yaml.ts';
export { draftRunbook, type Draft } from './draft.ts';

export function importRunbook(markdown: string, options: { source: string; service?: string }): string {
  return writeYaml(
    draftRunbook(markdown, options.service ? { service: options.service } : {}),
    options.source,
  );
}
