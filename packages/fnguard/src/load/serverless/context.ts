/** Per-service state and typed readers shared by the serverless loaders. */
import { type Diagnostic, isUnknown, type Maybe, type Where } from '../../model/types.js';
import { bool, isObj, list, num, type Obj, str, type Tpl } from '../cloudformation/intrinsics.js';
import type { PositionMap } from '../yaml/positions.js';

export type { Obj };
export { isObj };

export interface Svc {
  /** CloudFormation evaluation context (`resources.Resources` known, so `!Ref X` gets `target: X`). */
  t: Tpl;
  file: string;
  /** serverless.yml relative to the scan root (forward slashes). */
  rel: string;
  dir: string;
  pos: PositionMap;
  /** The resolved config. */
  cfg: Obj;
  provider: Obj;
  /** `serverless:<rel>#` */
  prefix: string;
  service: Maybe<string> | undefined;
  stage: Maybe<string>;
  diag(level: Diagnostic['level'], message: string, where: Where, code: string): void;
}

/** Position of `parent[key]` with a logical path. */
export function at(s: Svc, parent: unknown, key: string | number | undefined, path: string): Where {
  return { ...s.pos.at(parent, key), path };
}

/** Position of the key `key` in `parent` with a logical path. */
export function atKey(s: Svc, parent: unknown, key: string, path: string): Where {
  return { ...s.pos.atKey(parent, key), path };
}

function present(parent: unknown, key: string | number): boolean {
  if (Array.isArray(parent)) return typeof key === 'number' && parent[key] !== undefined && parent[key] !== null;
  return isObj(parent) && parent[key as string] !== undefined && parent[key as string] !== null;
}

function get(parent: unknown, key: string | number): unknown {
  if (Array.isArray(parent)) return typeof key === 'number' ? parent[key] : undefined;
  return isObj(parent) ? parent[key as string] : undefined;
}

/** A mapping under `key`; a wrong type is a warning. */
export function objAt(s: Svc, parent: unknown, key: string | number, path: string): Obj | undefined {
  if (!present(parent, key)) return undefined;
  const v = get(parent, key);
  if (isObj(v) && !isUnknown(v)) return v;
  if (isObj(v)) return undefined; // an unresolved variable: nothing to read
  s.diag('warning', `${path} must be a mapping; ignored`, at(s, parent, key, path), 'invalid-config');
  return undefined;
}

/** A list under `key`; a wrong type is a warning. */
export function listAt(s: Svc, parent: unknown, key: string | number, path: string): unknown[] | undefined {
  if (!present(parent, key)) return undefined;
  const v = get(parent, key);
  if (Array.isArray(v)) return v;
  if (isUnknown(v)) return undefined;
  s.diag('warning', `${path} must be a list; ignored`, at(s, parent, key, path), 'invalid-config');
  return undefined;
}

/** A string (numbers stringified), Unknown (variables, intrinsics), or undefined when absent. */
export function strAt(s: Svc, parent: unknown, key: string | number, path?: string): Maybe<string> | undefined {
  if (!present(parent, key)) return undefined;
  const v = get(parent, key);
  if (Array.isArray(v) || (isObj(v) && !isUnknown(v) && !isIntrinsic(v))) {
    if (path) s.diag('warning', `${path} must be a string; ignored`, at(s, parent, key, path), 'invalid-config');
    return undefined;
  }
  return str(s.t, v, parent, key);
}

export function numAt(s: Svc, parent: unknown, key: string | number, path?: string): Maybe<number> | undefined {
  if (!present(parent, key)) return undefined;
  const v = get(parent, key);
  if (Array.isArray(v) || (isObj(v) && !isUnknown(v) && !isIntrinsic(v))) {
    if (path) s.diag('warning', `${path} must be a number; ignored`, at(s, parent, key, path), 'invalid-config');
    return undefined;
  }
  const r = num(s.t, v, parent, key);
  if (r !== undefined && typeof r === 'object' && typeof v !== 'object' && path) {
    s.diag('warning', `${path} must be a number; ignored`, at(s, parent, key, path), 'invalid-config');
    return undefined;
  }
  return r;
}

export function boolAt(s: Svc, parent: unknown, key: string | number): Maybe<boolean> | undefined {
  if (!present(parent, key)) return undefined;
  return bool(s.t, get(parent, key), parent, key);
}

/** A list of strings (a single string becomes a one-item list). */
export function strListAt(s: Svc, parent: unknown, key: string | number): Maybe<string>[] | undefined {
  if (!present(parent, key)) return undefined;
  return list(s.t, get(parent, key), parent, key);
}

export function isIntrinsic(v: unknown): boolean {
  if (!isObj(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || (keys[0] as string).startsWith('Fn::'));
}

/** Serverless' CloudFormation logical id of a function key (`hello-world` -> `HelloDashworldLambdaFunction`). */
export function normalizedName(key: string): string {
  const s = key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return (s.charAt(0).toUpperCase() + s.slice(1)).replace(/[^A-Za-z0-9]/g, '');
}
