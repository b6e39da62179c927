/**
 * The bundled examples through the whole pipeline, for the CFG/LOG/SUP/GCP/AZ rules: each
 * vulnerable app shows the weaknesses its README lists for these families, and no fixed twin
 * has a finding of these families at high or above.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { scan } from '../../../src/scan.js';
import { FIXED_NOW, REPO_DIR } from '../../helpers/index.js';

const RULES = ['CFG-*', 'LOG-*', 'SUP-*', 'GCP-*', 'AZ-*'];
const APPS = ['serverless-app', 'sam-app', 'cdk-app', 'terraform-app'];

async function findings(dir: string) {
  const r = await scan({ root: join(REPO_DIR, 'examples', dir), rules: RULES, now: FIXED_NOW });
  return r.findings.filter((f) => !f.suppressed);
}

describe('examples (CFG/LOG/SUP rules)', () => {
  for (const app of APPS) {
    test(`vulnerable/${app} shows the deprecated runtime, the recursive loop and the foreign layer`, async () => {
      const ids = new Set((await findings(`vulnerable/${app}`)).flatMap((f) => [`${f.ruleId}:${f.severity}`, f.ruleId]));
      // the serverless app's loop comes from `*` on `*` (medium); the others write to the trigger itself (high)
      const loop = app === 'serverless-app' ? 'CFG-07:medium' : 'CFG-07:high';
      for (const want of ['SUP-01:high', loop, 'SUP-03:medium', 'CFG-01:medium', 'LOG-01:low'])
        assert.ok(ids.has(want), `${app}: missing ${want} in ${[...ids].join(', ')}`);
    });
    if (app === 'terraform-app')
      test('vulnerable/terraform-app shows the Google Cloud and Azure function weaknesses', async () => {
        const ids = new Set((await findings('vulnerable/terraform-app')).map((f) => f.ruleId));
        for (const id of ['GCP-01', 'GCP-02', 'AZ-01', 'AZ-02', 'AZ-03']) assert.ok(ids.has(id), `missing ${id} in ${[...ids].join(', ')}`);
      });
    test(`fixed/${app} has nothing at high or above`, async () => {
      const bad = (await findings(`fixed/${app}`)).filter((f) => f.severity === 'high' || f.severity === 'critical');
      assert.deepEqual(
        bad.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line} ${f.message}`),
        [],
      );
    });
  }
});
