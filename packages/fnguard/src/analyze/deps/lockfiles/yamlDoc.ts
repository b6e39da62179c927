/** YAML lockfiles (yarn berry, pnpm) through the project's hardened YAML loader. */
import { parseYaml } from '../../../load/yaml/index.js';
import type { PositionMap } from '../../../load/yaml/positions.js';
import { LockfileError } from '../types.js';

export function parseYamlLock(text: string, file: string): { value: unknown; positions: PositionMap } {
  const r = parseYaml(text, file, { cfnTags: false });
  if (!r.ok) {
    const err = r.diagnostics.find((d) => d.level === 'error');
    throw new LockfileError(err?.message ?? 'invalid YAML', err?.line);
  }
  return { value: r.value, positions: r.positions };
}
