// The markdown as the parser should see it, line for line the same as the file (so every line
// number cited is the file's). CRLF line ends become LF: a code line kept its '\r', and a checklist
// line in a code block then matched no item. A leading front-matter block (`---` … `---`, or
// `+++` … `+++`) is blanked: remark would read `---` / `owner: sre` / `---` as a rule and a heading.
const FRONT_MATTER = /^(---|\+\+\+)[ \t]*\n[\s\S]*?\n(?:\1|\.\.\.)[ \t]*(?=\n|$)/;

export function parseableSource(source: string): string {
  return source.replace(/\r\n/g, '\n').replace(FRONT_MATTER, (block) => block.replace(/[^\n]/g, ''));
}
