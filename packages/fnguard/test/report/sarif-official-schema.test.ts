/**
 * SARIF output validated against the official SARIF 2.1.0 JSON schema (OASIS, draft-04), as shipped
 * in the `@microsoft/jest-sarif` package (MIT; a devDependency, read from node_modules), on the
 * sample result and on real scans of every bundled example app.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import { toSarif } from '../../src/report/sarif.js';
import { allRules } from '../../src/rules/index.js';
import { scan } from '../../src/scan.js';
import { sampleResult, sampleRules } from './sampleResult.js';

const require = createRequire(import.meta.url);
const schemaFile = join(dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
const EXAMPLES = fileURLToPath(new URL('../../../../examples/', import.meta.url));

describe('sarif against the official SARIF 2.1.0 schema', () => {
  const ajv = new AjvDraft04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }); // the schema's language pattern is not valid with the u flag;
  const validate = ajv.compile(schema);

  test('the sample result (every finding shape, flows included)', () => {
    const sarif = toSarif(sampleResult(), { rules: sampleRules });
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });

  test('the schema is the real one: it rejects a result without a message', () => {
    const sarif = structuredClone(toSarif(sampleResult(), { rules: sampleRules }));
    delete sarif.runs[0].results[0].message;
    assert.equal(validate(sarif), false);
  });

  for (const kind of ['vulnerable', 'fixed']) {
    for (const app of readdirSync(join(EXAMPLES, kind))) {
      test(`a real scan of examples/${kind}/${app}`, async () => {
        const result = await scan({ root: join(EXAMPLES, kind, app), now: new Date('2026-12-02T00:00:00Z') });
        const sarif = toSarif(result, { rules: allRules.map((r) => r.meta) });
        assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
        if (kind === 'vulnerable') assert.ok(sarif.runs[0].results.length > 0);
      });
    }
  }
});
