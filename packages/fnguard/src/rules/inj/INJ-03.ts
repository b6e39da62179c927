import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-03',
    title: 'SQL injection from event data',
    severity: 'critical',
    category: 'injection:sql',
    cwe: ['CWE-89'],
    sas: 'SAS-1',
    description:
      'A SQL string built from attacker-controlled event data is sent to the database: `query`/`execute` of mysql, mysql2, pg, mssql, sqlite and serverless-mysql, knex `raw`/`whereRaw`, sequelize and typeorm `query`, Prisma `$queryRawUnsafe`/`$executeRawUnsafe`, the RDS Data API. Parameterised queries (`query(sql, [values])`, tagged templates such as Prisma `$queryRaw```) are not reported.',
    remediation: {
      general:
        "Use parameterised queries or a query builder: pass values separately (`query('SELECT * FROM t WHERE id = ?', [id])`, `$queryRaw`...``), or escape with the driver's `escape` for identifiers you cannot parameterise.",
      code: 'Replace string concatenation and template literals in SQL with placeholders (`?`, `$1`) and a values array.',
    },
    formats: ['code'],
    references: ['semgrep tainted-sql-string', 'njsscan node_sqli_injection', 'njsscan node_knex_sqli_injection'],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['sql'], (f) => `event data is built into a SQL query sent with ${f.sink}: SQL injection`);
  },
});
