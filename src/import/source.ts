// The markdown as the parser should see it, line for line the same as the file (so every line
// number cited is the file's): a leading front-matter block (`---` … `---`, or `+++` … `+++`) is
// blanked, since remark would read `---` / `owner: sre` / `---` as a rule and a setext heading.
const FRONT_MATTER = /^(---|\+\+\+)[ \t]*\n[\s\S]*?\n(?:\1|\.\.\.)[ \t]*(?=\n|$)/;

export function parseableSource(source: string): string {
  return source.replace(FRONT_MATTER, (block) => block.replace(/[^\n]/g, ''));
}
