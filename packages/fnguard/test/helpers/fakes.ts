/**
 * Small real parts for pipeline tests that must not depend on the IaC adapters being written in
 * parallel: a "fnlist" adapter reading a trivial line format, and rules over the Model.
 *
 * fnlist format (file `*.fnlist`, classified as text): one function per line
 *   <name> [public] [auth=<type>] [admin] [url|url=iam] [suppressed] [role-suppressed] [env:KEY=VALUE ...]
 *   resource:<id> [suppressed]
 */
import type { Adapter } from '../../src/load/types.js';
import type { Fn, Identity, Resource } from '../../src/model/types.js';
import { defineRule, type Rule } from '../../src/rules/defineRule.js';

export const fnlistAdapter: Adapter = {
  id: 'fnlist',
  select: (files) => files.filter((f) => f.rel.endsWith('.fnlist')),
  async load(files, ctx) {
    const functions: Fn[] = [];
    const identities: Identity[] = [];
    const resources: Resource[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = await ctx.readText(file.path);
      } catch (e) {
        ctx.diagnostic({ level: 'error', file: file.path, message: String(e) });
        continue;
      }
      text.split('\n').forEach((raw, i) => {
        const line = raw.replace(/#.*$/, '').trim();
        if (!line) return;
        const where = { file: file.path, line: i + 1, column: raw.indexOf(line.split(' ')[0] as string) + 1 };
        if (line === 'explode') throw new Error(`boom at line ${i + 1}`);
        const [name, ...words] = line.split(/\s+/) as [string, ...string[]];
        if (name.startsWith('resource:')) {
          const id = name.slice('resource:'.length);
          resources.push({
            id,
            type: 'other',
            sourceType: 'X',
            format: 'serverless',
            props: {},
            where,
            ...(words.includes('suppressed') ? { suppressions: [{ rule: 'CFG-9*', reason: 'metadata says so', where }] } : {}),
          });
          return;
        }
        const id = `serverless:${file.rel}#${name}`;
        const auth = words.find((w) => w.startsWith('auth='))?.slice(5) ?? 'none';
        const fn: Fn = {
          id,
          name,
          provider: 'aws',
          format: 'serverless',
          runtime: 'nodejs20.x',
          handler: `${name}.handler`,
          env: words
            .filter((w) => w.startsWith('env:'))
            .map((w) => {
              const [k, v] = w.slice(4).split('=');
              return { name: k ?? '', value: v ?? '', where };
            }),
          layers: [],
          triggers: words.includes('public') ? [{ kind: 'http-api', public: true, auth: { type: auth as 'none' }, where }] : [],
          permissions: [],
          where,
          ...(words.includes('suppressed') ? { suppressions: [{ rule: 'SEC-92', reason: 'metadata', where }] } : {}),
          ...(words.includes('url')
            ? { url: { auth: 'none' as const, where } }
            : words.includes('url=iam')
              ? { url: { auth: 'iam' as const, where } }
              : {}),
        };
        if (words.includes('admin')) {
          const role: Identity = {
            id: `${name}Role`,
            provider: 'aws',
            statements: [{ effect: 'Allow', actions: ['*'], resources: ['*'], where }],
            managedPolicies: [],
            usedBy: [id],
            where,
            ...(words.includes('role-suppressed') ? { suppressions: [{ rule: 'SEC-92', reason: 'on the role', where }] } : {}),
          };
          identities.push(role);
          fn.identity = role.id;
        }
        functions.push(fn);
      });
    }
    return { functions, identities, resources };
  },
};

const meta = (id: string, severity: 'critical' | 'high' | 'medium' | 'low' | 'info', extra: Partial<Rule['meta']> = {}): Rule['meta'] => ({
  id,
  title: `test rule ${id}`,
  severity,
  category: 'insecure-config',
  cwe: ['CWE-16'],
  sas: 'SAS-3',
  description: 'A rule used by the engine tests only.',
  remediation: { general: 'Do the right thing.' },
  formats: ['serverless'],
  ...extra,
});

/** EXPO-91 (high): public unauthenticated trigger. SEC-92 (medium): env var named SECRET. CFG-93: throws. CFG-94: opt-in. CFG-95 (low): every resource. */
export function testRules(): Rule[] {
  return [
    defineRule({
      meta: { ...meta('EXPO-91', 'high') },
      check(ctx) {
        for (const fn of ctx.app.functions)
          for (const t of fn.triggers)
            if (t.public === true && t.auth.type === 'none')
              ctx.report({ fn, where: t.where, message: `${fn.name} is public without auth`, key: 'public' });
      },
    }),
    defineRule({
      meta: meta('SEC-92', 'medium'),
      check(ctx) {
        for (const fn of ctx.app.functions)
          for (const e of fn.env) if (e.name === 'SECRET') ctx.report({ fn, where: e.where, message: `secret in ${e.name}`, key: e.name });
      },
    }),
    defineRule({
      meta: meta('CFG-93', 'low'),
      check() {
        throw new Error('rule bug');
      },
    }),
    defineRule({
      meta: meta('CFG-94', 'critical', { optIn: true }),
      check(ctx) {
        for (const fn of ctx.app.functions) ctx.report({ fn, message: 'opt-in rule fired' });
      },
    }),
    defineRule({
      meta: meta('CFG-95', 'low'),
      check(ctx) {
        for (const r of ctx.app.resources) ctx.report({ resource: r.id, where: r.where, message: `resource ${r.id}`, key: r.id });
      },
    }),
  ];
}
