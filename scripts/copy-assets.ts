// After `tsc -p tsconfig.build.json`: the files the code reads beside itself (Lua scripts, the
// sandbox's static page, the demo runbook) are copied into dist/ at the same relative paths.
import { cpSync, statSync } from 'node:fs';

const outDir = process.argv[2] ?? 'dist';
for (const dir of ['src', 'commands', 'jobs']) {
  cpSync(dir, `${outDir}/${dir}`, {
    recursive: true,
    filter: (path) => statSync(path).isDirectory() || !path.endsWith('.ts'),
  });
}
