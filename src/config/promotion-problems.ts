// `runway check` problems of promotion (SPEC section 10): promote_from naming an unknown environment
// or the environment itself, a cycle of promote_from, soak without promote_from. Read from the parsed
// runbook after inheritance, each pointing at the line that wrote the value.
import { mergeLayers } from './merge.ts';
import { environmentsOf, layersFor, type Runbook } from './targets.ts';

export function promotionProblems(runbook: Runbook): string[] {
  const problems: string[] = [];
  for (const service of Object.keys(runbook.services)) {
    const environments = environmentsOf(runbook, service);
    const from = new Map<string, string>();
    for (const env of environments) {
      const { settings, origins } = mergeLayers(layersFor(runbook, service, env));
      const target = `${service}/${env}`;
      const at = (field: string) => {
        const origin = origins[field] ?? field;
        // A value inherited from defaults or the service says which environment it breaks.
        return origin.endsWith(`environments.${env}.${field}`) ? origin : `${origin} (in ${target})`;
      };
      const source = settings.promote_from;
      if (source === undefined) {
        if (settings.soak !== undefined)
          problems.push(`${at('soak')}: soak needs promote_from (the environment to soak in first)`);
        continue;
      }
      if (source === env) {
        problems.push(`${at('promote_from')}: ${env} cannot promote from itself`);
      } else if (!environments.includes(source)) {
        problems.push(
          `${at('promote_from')}: unknown environment "${source}"; ${service} has ${environments.join(', ')}`,
        );
      } else {
        from.set(env, source);
      }
    }
    problems.push(...cycleProblems(service, from));
  }
  return problems;
}

/** Each cycle of promote_from once ("staging → production → staging"): no release could ever start. */
function cycleProblems(service: string, from: Map<string, string>): string[] {
  const problems: string[] = [];
  const reported = new Set<string>();
  for (const start of from.keys()) {
    const path: string[] = [];
    let at: string | undefined = start;
    while (at !== undefined && !path.includes(at)) {
      path.push(at);
      at = from.get(at);
    }
    if (at === undefined) continue;
    const cycle = path.slice(path.indexOf(at));
    const key = [...cycle].sort().join(',');
    if (reported.has(key)) continue;
    reported.add(key);
    problems.push(
      `services.${service}.environments.${cycle[0]}.promote_from: a cycle of promote_from ` +
        `(${[...cycle, cycle[0]].join(' ← ')}); no release could start in any of them`,
    );
  }
  return problems;
}
