/**
 * Source positions for plain JS values produced by the YAML and JSON loaders.
 *
 * The loaders return ordinary JS values (objects, arrays, strings, numbers, booleans, null) so
 * that adapters can walk them like `JSON.parse` output. Positions live on the side, in a
 * `PositionMap` keyed by the object/array identity:
 *
 * - `where(obj)`           position of a mapping/sequence node itself
 * - `keyWhere(obj, key)`   position of a mapping key
 * - `valueWhere(obj, key)` position of the value under a key (or of the item at an index)
 * - `at(obj, key?)`        best available: value, then key, then the container, then the file start
 *
 * Scalars have no identity, so ask their parent for their position. Values that came from one
 * YAML anchor expanded at several aliases are separate copies, each positioned at the anchor.
 * Treat the values as read-only if you share them; copying is cheap.
 */
import type { Where } from '../../model/types.js';

export interface NodeInfo {
  where: Where;
  /** mapping: key -> [key position, value position] */
  keys?: Map<string, { key: Where; value: Where }>;
  /** sequence: item positions */
  items?: Where[];
}

export class PositionMap {
  readonly file: string;
  private readonly info = new WeakMap<object, NodeInfo>();

  constructor(file: string) {
    this.file = file;
  }

  /** Register a container (used by the loaders; adapters may register synthesized objects too). */
  set(obj: object, info: NodeInfo): void {
    this.info.set(obj, info);
  }

  get(obj: object): NodeInfo | undefined {
    return this.info.get(obj);
  }

  /** Position of a mapping or sequence. */
  where(obj: unknown): Where | undefined {
    return isObj(obj) ? this.info.get(obj)?.where : undefined;
  }

  keyWhere(obj: unknown, key: string): Where | undefined {
    return isObj(obj) ? this.info.get(obj)?.keys?.get(key)?.key : undefined;
  }

  valueWhere(obj: unknown, key: string | number): Where | undefined {
    if (!isObj(obj)) return undefined;
    const info = this.info.get(obj);
    if (!info) return undefined;
    if (typeof key === 'number') return info.items?.[key];
    return info.keys?.get(key)?.value;
  }

  /** Best position for `obj[key]` (or `obj` itself without a key): never undefined. */
  at(obj: unknown, key?: string | number, path?: string): Where {
    let w: Where | undefined;
    if (key !== undefined) w = this.valueWhere(obj, key) ?? (typeof key === 'string' ? this.keyWhere(obj, key) : undefined);
    w ??= this.where(obj);
    w ??= { file: this.file, line: 1, column: 1 };
    return path === undefined ? w : { ...w, path };
  }

  /** Position of a key (for "the X setting" findings), falling back like `at`. */
  atKey(obj: unknown, key: string, path?: string): Where {
    const w = this.keyWhere(obj, key) ?? this.at(obj, key);
    return path === undefined ? w : { ...w, path };
  }
}

function isObj(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}
