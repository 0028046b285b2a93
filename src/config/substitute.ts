// `${NAME}` in any string value of the runbook reads an environment variable when the file loads.
// Every value read this way is treated as a secret (scrubbed from logs, Slack and the audit log),
// because the reason to put something in the environment is usually that it must not be in the file.
// `$${` stands for a literal `${` (as in Docker Compose), for the rare string that needs one.
export type Env = Record<string, string | undefined>;

export interface Substituted {
  value: unknown;
  /** The values that were substituted in. */
  secrets: string[];
  problems: string[];
  /** Paths of strings still holding a reference that could not be read (each one is a problem above). */
  unresolved: string[];
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A copy of `value` with every `${NAME}` replaced; a missing variable is a problem naming it and its path. */
export function substituteEnv(value: unknown, env: Env): Substituted {
  const secrets = new Set<string>();
  const problems: string[] = [];
  const unresolved = new Set<string>();

  const visit = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') return substituteString(node, path);
    if (Array.isArray(node)) return node.map((item, i) => visit(item, join(path, String(i))));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v, join(path, k))]));
    }
    return node;
  };

  const substituteString = (text: string, path: string): string =>
    text.replace(REFERENCE, (whole: string, name: string | undefined) => {
      if (name === undefined) return '${';
      if (!NAME.test(name)) {
        problems.push(
          `${path}: "${whole}" is not an environment variable reference (use \${NAME}, or $\${ for a literal \${)`,
        );
        unresolved.add(path);
        return whole;
      }
      const found = env[name];
      if (found === undefined || found === '') {
        problems.push(
          `${path}: environment variable ${name} is ${found === undefined ? 'not set' : 'empty'}`,
        );
        unresolved.add(path);
        return whole;
      }
      secrets.add(found);
      return found;
    });

  return { value: visit(value, ''), secrets: [...secrets], problems, unresolved: [...unresolved] };
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
