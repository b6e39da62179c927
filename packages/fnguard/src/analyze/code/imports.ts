/** Import collection over an oxc ESTree program: ESM, CJS `require`, dynamic `import()`, re-exports. */
import type { ImportedPackage } from './types.js';

export interface ModuleImport {
  specifier: string;
  kind: ImportedPackage['kind'];
  /** Offset of the specifier in the source. */
  start: number;
}

// biome-ignore lint/suspicious/noExplicitAny: ESTree nodes from oxc-parser
type Node = any;

function literalString(n: Node): string | undefined {
  if (!n) return undefined;
  if (n.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0]?.value?.cooked ?? undefined;
  return undefined;
}

/**
 * Every import of a program, in source order. Type-only imports are left out (they vanish at
 * runtime). With `source`, a program that mentions neither `require` nor `import(` only has its
 * top-level statements visited (ESM imports and re-exports live there).
 */
export function collectImports(program: Node, source?: string): ModuleImport[] {
  const out: ModuleImport[] = [];
  const shallow = source !== undefined && !/\brequire\b|\bimport\s*\(/.test(source);
  const stack: Node[] = shallow ? [...(program.body ?? [])].reverse() : [program];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      for (let i = n.length - 1; i >= 0; i--) stack.push(n[i]);
      continue;
    }
    if (
      shallow &&
      n.type !== 'ExportNamedDeclaration' &&
      n.type !== 'ExportAllDeclaration' &&
      n.type !== 'ImportDeclaration' &&
      n.type !== 'TSImportEqualsDeclaration'
    )
      continue;
    switch (n.type) {
      case 'ImportDeclaration':
        if (n.importKind !== 'type' && typeof n.source?.value === 'string')
          out.push({ specifier: n.source.value, kind: 'import', start: n.source.start });
        continue;
      case 'ExportNamedDeclaration':
      case 'ExportAllDeclaration':
        if (n.source && n.exportKind !== 'type' && typeof n.source.value === 'string')
          out.push({ specifier: n.source.value, kind: 're-export', start: n.source.start });
        if (shallow) continue;
        break;
      case 'ImportExpression': {
        const s = literalString(n.source);
        if (s !== undefined) out.push({ specifier: s, kind: 'dynamic-import', start: n.source.start });
        break;
      }
      case 'CallExpression':
        if (n.callee?.type === 'Identifier' && n.callee.name === 'require' && n.arguments.length >= 1) {
          const s = literalString(n.arguments[0]);
          if (s !== undefined) out.push({ specifier: s, kind: 'require', start: n.arguments[0].start });
        }
        break;
      case 'TSImportEqualsDeclaration':
        if (n.importKind !== 'type' && n.moduleReference?.type === 'TSExternalModuleReference') {
          const s = literalString(n.moduleReference.expression);
          if (s !== undefined) out.push({ specifier: s, kind: 'require', start: n.moduleReference.expression.start });
        }
        continue;
      case 'TSInterfaceDeclaration':
      case 'TSTypeAliasDeclaration':
      case 'TSTypeAnnotation':
      case 'TSDeclareFunction':
        continue;
    }
    for (const k in n) {
      if (k === 'type' || k === 'start' || k === 'end' || k === 'range') continue;
      const v = n[k];
      if (v && typeof v === 'object') stack.push(v);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
