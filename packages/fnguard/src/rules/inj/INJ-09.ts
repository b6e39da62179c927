import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-09',
    title: 'Unsafe deserialisation of event data',
    severity: 'critical',
    category: 'injection:deserialization',
    cwe: ['CWE-502'],
    sas: 'SAS-1',
    description:
      'Attacker-controlled event data is deserialised by a library that can run code: `node-serialize` `unserialize` (functions in `_$$ND_FUNC$$_` values run), `serialize-to-js`, `funcster`, `cryo`, js-yaml `unsafeLoad` or `load` with the full schema / js-yaml-js-types.',
    remediation: {
      general:
        'Use `JSON.parse` for data, js-yaml 4 `load` with its default (safe) schema, and never a serialiser that restores functions.',
      code: 'Replace `serialize.unserialize(cookie)` with `JSON.parse(cookie)` and validate the result.',
    },
    formats: ['code'],
    references: ['njsscan node_deserialize', 'njsscan serializetojs_deserialize', 'njsscan yaml_deserialize'],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['deserialization'], (f) => `event data reaches ${f.sink}: unsafe deserialisation`);
  },
});
