import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'OTH-02',
    title: 'Insecure /tmp use: event-derived file names, or files left behind',
    severity: 'medium',
    category: 'insecure-config',
    cwe: ['CWE-377', 'CWE-459'],
    sas: 'SAS-1',
    description:
      "`/tmp` persists between invocations of a warm Lambda container and is shared by every request it serves. A file name derived from event data (an S3 key, an upload name) lets one request overwrite or read another's files, and files written under `/tmp` and never deleted leak data to later requests and fill the 512 MB-10 GB volume (reported at low severity: some are caches kept on purpose).",
    remediation: {
      general:
        'Use random file names (`crypto.randomUUID()`, `fs.mkdtemp`) under `/tmp`, and delete them in a `finally` block; never use event data as a file name.',
      code: "`const file = path.join(await fs.mkdtemp('/tmp/job-'), 'input'); try { ... } finally { await fs.rm(dir, { recursive: true }); }`",
    },
    formats: ['code'],
    references: ['Bandit B108 hardcoded_tmp_directory'],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(
      ctx,
      ['tmp-path', 'tmp-write'],
      (f) => `${f.detail ?? ''} in ${f.sink}`,
      (f, fn, facts) => f.kind === 'tmp-path' || !facts.byFunction.get(fn.id)?.deletesFiles,
      // a file kept on purpose (a cache of a downloaded model) is a smaller risk than a shared name
      (f) => (f.kind === 'tmp-write' ? 'low' : undefined),
    );
  },
});
