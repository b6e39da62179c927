/**
 * `.fnguard.yml`: the same options as the `scan` flags, as keys (kebab-case or camelCase).
 *   format: [text, sarif]        # or a single string
 *   output: [null, fnguard.sarif] # paired with `format` by position (null = stdout)
 *   fail-on: high
 *   severity: low
 *   rule: [PERM-*]               # or `rules`
 *   skip-rule: [LOG-02]          # or `skip-rules`
 *   stage: prod
 *   region: eu-west-1
 *   param: { domain: example.com }  # or `params`
 *   include-dev: false
 *   advisory-db: ./osv
 *   baseline: .fnguard-baseline.json
 *   ignore-file: .fnguardignore.yml
 *   quiet: false
 *   no-color: false
 * Relative paths are resolved against the config file's directory.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { yamlLib } from '../load/yaml/yamlLib.js';

export const CONFIG_FILE_NAMES = ['.fnguard.yml', '.fnguard.yaml'];

export interface OutputSpec {
  format: string;
  /** Absent: stdout. */
  output?: string;
}

export interface FnguardConfig {
  outputs?: OutputSpec[];
  failOn?: string;
  severity?: string;
  rules?: string[];
  skipRules?: string[];
  stage?: string;
  region?: string;
  params?: Record<string, string>;
  includeDev?: boolean;
  advisoryDb?: string;
  baseline?: string;
  writeBaseline?: string;
  ignoreFile?: string;
  quiet?: boolean;
  noColor?: boolean;
}

export class ConfigError extends Error {
  readonly file: string;
  readonly line?: number;
  constructor(file: string, message: string, line?: number) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`);
    this.name = 'ConfigError';
    this.file = file;
    if (line !== undefined) this.line = line;
  }
}

const KEY_ALIASES: Record<string, keyof FnguardConfig | 'format' | 'output'> = {
  format: 'format',
  formats: 'format',
  output: 'output',
  outputs: 'output',
  'fail-on': 'failOn',
  failOn: 'failOn',
  severity: 'severity',
  rule: 'rules',
  rules: 'rules',
  'skip-rule': 'skipRules',
  'skip-rules': 'skipRules',
  skipRule: 'skipRules',
  skipRules: 'skipRules',
  stage: 'stage',
  region: 'region',
  param: 'params',
  params: 'params',
  'include-dev': 'includeDev',
  includeDev: 'includeDev',
  'advisory-db': 'advisoryDb',
  advisoryDb: 'advisoryDb',
  baseline: 'baseline',
  'write-baseline': 'writeBaseline',
  writeBaseline: 'writeBaseline',
  'ignore-file': 'ignoreFile',
  ignoreFile: 'ignoreFile',
  quiet: 'quiet',
  'no-color': 'noColor',
  noColor: 'noColor',
};

function strList(v: unknown, key: string, file: string): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new ConfigError(file, `'${key}' must be a string or a list of strings`);
}

function str(v: unknown, key: string, file: string): string {
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number') return String(v);
  throw new ConfigError(file, `'${key}' must be a string`);
}

function bool(v: unknown, key: string, file: string): boolean {
  if (typeof v === 'boolean') return v;
  throw new ConfigError(file, `'${key}' must be true or false`);
}

/** Parse and validate a config file's text. Throws ConfigError (with the line) on any problem. */
export function parseConfig(text: string, file: string): FnguardConfig {
  const { isMap, LineCounter, parseDocument } = yamlLib();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) throw new ConfigError(file, err.message.split('\n')[0] ?? 'invalid YAML', lc.linePos(err.pos[0]).line);
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) throw new ConfigError(file, 'the config must be a map of options', 1);
  const lineOf = (key: string): number | undefined => {
    const pair = (doc.contents as { items: { key: unknown }[] }).items.find((p) => (p.key as { value?: unknown })?.value === key);
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    return range ? lc.linePos(range[0]).line : undefined;
  };
  let raw: Record<string, unknown>;
  try {
    raw = doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(file, `cannot read config: ${(e as Error).message}`, 1);
  }
  const cfg: FnguardConfig = {};
  const base = dirname(file);
  let formats: string[] | undefined;
  let outputs: (string | null)[] | undefined;
  for (const [key, value] of Object.entries(raw)) {
    const k = KEY_ALIASES[key];
    try {
      if (!k) throw new ConfigError(file, `unknown option '${key}'`);
      if (value === null || value === undefined) continue;
      switch (k) {
        case 'format':
          formats = strList(value, key, file);
          break;
        case 'output':
          if (typeof value === 'string') outputs = [value];
          else if (Array.isArray(value) && value.every((x) => x === null || typeof x === 'string')) outputs = value as (string | null)[];
          else throw new ConfigError(file, `'${key}' must be a path or a list of paths`);
          break;
        case 'rules':
        case 'skipRules':
          cfg[k] = strList(value, key, file);
          break;
        case 'params': {
          if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(file, `'${key}' must be a map of name: value`);
          cfg.params = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([pk, pv]) => [pk, String(pv)]));
          break;
        }
        case 'includeDev':
        case 'quiet':
        case 'noColor':
          cfg[k] = bool(value, key, file);
          break;
        case 'advisoryDb':
        case 'baseline':
        case 'writeBaseline':
        case 'ignoreFile':
          cfg[k] = resolve(base, str(value, key, file));
          break;
        case 'failOn':
        case 'severity':
        case 'stage':
        case 'region':
          cfg[k] = str(value, key, file);
          break;
        default:
          throw new ConfigError(file, `option '${key}' cannot be set in the config file`);
      }
    } catch (e) {
      if (e instanceof ConfigError && e.line === undefined) throw new ConfigError(file, e.message.slice(file.length + 2), lineOf(key));
      throw e;
    }
  }
  if (outputs && !formats) throw new ConfigError(file, "'output' needs 'format'", lineOf('output'));
  if (formats)
    cfg.outputs = formats.map((f, i) => (outputs?.[i] ? { format: f, output: resolve(base, outputs[i] as string) } : { format: f }));
  return cfg;
}

export async function loadConfig(file: string): Promise<FnguardConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, `cannot read config: ${(e as Error).message}`);
  }
  if (text.length > 1024 * 1024) throw new ConfigError(file, 'config file larger than 1 MiB');
  return parseConfig(text, file);
}
