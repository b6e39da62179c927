/** `fnguard rules`: list every rule with severity and docs link (offline). */
import type { Command } from '../command.js';
import { parseCommandArgs, UsageError } from '../command.js';

export const command: Command = {
  name: 'rules',
  summary: 'list every rule with its severity, category and docs link (offline)',
  help: `Usage: fnguard rules [--format text|json] [--severity LEVEL] [--rule ID]

List every rule (metadata ships with fnguard: no network needed).
  -f, --format FORMAT   text (default) or json
      --severity LEVEL  only rules at or above LEVEL
      --rule ID         only these rules (repeatable; ids or globs)
`,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        format: { type: 'string', short: 'f' },
        severity: { type: 'string' },
        rule: { type: 'string', multiple: true },
        'no-color': { type: 'boolean' },
      },
      true,
    );
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    if (positionals.length === 1) {
      const id = (positionals[0] ?? '').toUpperCase();
      const [{ ruleById }, { renderRuleDoc }] = await Promise.all([import('../../rules/index.js'), import('../../report/ruleDoc.js')]);
      const rule = ruleById(id);
      if (!rule) throw new UsageError(`no rule '${positionals[0]}' (fnguard rules lists them)`);
      ctx.io.stdout(
        values.format === 'json' ? `${JSON.stringify(rule.meta, null, 2)}\n` : renderRuleDoc(rule.meta).replace(/^<!--.*-->\n\n/, ''),
      );
      return 0;
    }
    const format = (values.format as string | undefined) ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json (got '${format}')`);
    const [{ allRules }, { SEVERITY_RANK }, { docsUrl }, { globMatcher }] = await Promise.all([
      import('../../rules/index.js'),
      import('../../engine/types.js'),
      import('../../rules/defineRule.js'),
      import('../../discover/ignore.js'),
    ]);
    const min = values.severity as string | undefined;
    if (min !== undefined && !(min in SEVERITY_RANK))
      throw new UsageError(`--severity must be one of critical, high, medium, low, info (got '${min}')`);
    const pats = ((values.rule as string[] | undefined) ?? []).map((p) => globMatcher(p.toUpperCase()));
    const rules = allRules
      .map((r) => r.meta)
      .filter((m) => (min ? SEVERITY_RANK[m.severity] >= SEVERITY_RANK[min as keyof typeof SEVERITY_RANK] : true))
      .filter((m) => pats.length === 0 || pats.some((p) => p.test(m.id)))
      .sort((a, b) => a.id.localeCompare(b.id));
    if (format === 'json') {
      ctx.io.stdout(
        `${JSON.stringify(
          rules.map((m) => ({
            id: m.id,
            title: m.title,
            severity: m.severity,
            category: m.category,
            cwe: m.cwe,
            sas: m.sas,
            formats: m.formats,
            optIn: m.optIn === true,
            docs: docsUrl(m.id),
          })),
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    const w = Math.max(8, ...rules.map((m) => m.title.length));
    ctx.io.stdout(`${'ID'.padEnd(8)}  ${'SEVERITY'.padEnd(8)}  ${'TITLE'.padEnd(Math.min(w, 70))}  DOCS\n`);
    for (const m of rules)
      ctx.io.stdout(
        `${m.id.padEnd(8)}  ${m.severity.padEnd(8)}  ${`${m.title}${m.optIn ? ' (opt-in)' : ''}`.padEnd(Math.min(w, 70))}  ${docsUrl(m.id)}\n`,
      );
    ctx.io.stdout(`\n${rules.length} rules\n`);
    return 0;
  },
};
