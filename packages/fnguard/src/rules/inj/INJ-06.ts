import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-06',
    title: 'Path traversal or file inclusion from event data',
    severity: 'high',
    category: 'injection:path-traversal',
    cwe: ['CWE-22'],
    sas: 'SAS-1',
    description:
      "A file path built from attacker-controlled event data reaches the file system (`fs.readFile`, `writeFile`, `createReadStream`, `unlink`..., fs-extra, `res.sendFile`), or an uploaded archive is extracted without entry checks (zip slip: adm-zip `extractAllTo`, `decompress`, `tar.x`). `../` sequences read or overwrite files outside the intended directory, such as the function's code or `/proc/self/environ` (its credentials).",
    remediation: {
      general:
        'Reduce the input to a file name with `path.basename`, or resolve the path and check that it stays inside the base directory (`resolved.startsWith(base + path.sep)`); check archive entries before extracting.',
      code: 'Use `path.join(base, path.basename(name))`, or `const p = path.resolve(base, name); if (!p.startsWith(base + path.sep)) return badRequest();`.',
    },
    formats: ['code'],
    references: [
      'njsscan generic_path_traversal',
      'njsscan join_resolve_path_traversal',
      'njsscan admzip_path_overwrite',
      'eslint-plugin-security detect-non-literal-fs-filename',
    ],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['path'], (f) => `event data reaches the file path of ${f.sink}: path traversal`);
  },
});
