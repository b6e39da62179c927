// The YAML files of the repository (packages and examples, without node_modules, dist and dot folders, under
// 2 MB): the real-world corpus the YAML differential tests run on.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../../../', import.meta.url));

function yamlFiles(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name) && st.size < 2_000_000) out.push(p);
  }
  return out;
}

export function repositoryYamlFiles(): string[] {
  return [...yamlFiles(join(REPO, 'packages'), []), ...yamlFiles(join(REPO, 'examples'), [])];
}
