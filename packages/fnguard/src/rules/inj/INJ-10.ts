import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-10',
    title: 'XML external entities enabled when parsing event data',
    severity: 'high',
    category: 'injection:xxe',
    cwe: ['CWE-611'],
    sas: 'SAS-1',
    description:
      'XML from attacker-controlled event data is parsed with external entity expansion on (libxmljs/libxmljs2 `parseXml(x, { noent: true })`) or with a parser that expands entities (`xml2json`, `node-expat`). An entity like `<!ENTITY x SYSTEM "file:///proc/self/environ">` reads local files (the function\'s credentials) or makes requests.',
    remediation: {
      general:
        'Parse untrusted XML with entity expansion off (libxmljs `noent: false`, the default), or with a parser that never resolves external entities (`fast-xml-parser`).',
      code: 'Remove `noent: true` from the parse options.',
    },
    formats: ['code'],
    references: ['njsscan node_xxe', 'njsscan xxe_xml2json', 'njsscan xxe_expat'],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['xxe'], (f) => `event data is parsed by ${f.sink}: XML external entities`);
  },
});
