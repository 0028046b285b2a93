// Issue 12: a stage's references that only the whole environment can judge: its `undo:` action and
// its `flag:` action (which must exist and be a flag). [path suffix, message] pairs, as crossref.ts.
type Mapping = Record<string, unknown>;

export function stageRefProblems(
  written: Mapping,
  actions: Mapping | null,
  isName: (value: unknown) => value is string,
  defined: (map: Mapping) => string,
): [string, string][] {
  if (!actions) return [];
  const problems: [string, string][] = [];
  const undo = written['undo'];
  if (isName(undo) && !Object.hasOwn(actions, undo))
    problems.push(['.undo', `no action named "${undo}" to undo with (${defined(actions)})`]);
  const flag = written['flag'];
  if (isName(flag)) {
    const action = Object.hasOwn(actions, flag) ? actions[flag] : undefined;
    if (action === undefined) problems.push(['.flag', `no action named "${flag}" (${defined(actions)})`]);
    else if (!(typeof action === 'object' && action !== null && 'flag' in action))
      problems.push([
        '.flag',
        `"${flag}" is not a flag action (a flag stage needs { flag: { provider, key, … } })`,
      ]);
  }
  for (const kind of ['deploy', 'smoke'] as const) {
    if (written[kind] === true && !Object.hasOwn(actions, kind))
      problems.push(['', `a ${kind} stage needs a "${kind}" action`]);
  }
  return problems;
}
