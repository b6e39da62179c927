/**
 * The example apps (examples/{vulnerable,fixed}/<app>): each vulnerable app shows its PERM/EXPO/SEC
 * weaknesses, and each fixed twin reports nothing at high or above (issue 2, item 8).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SEVERITY_RANK } from '../../../src/engine/types.js';
import { scan } from '../../../src/scan.js';
import { REPO_DIR } from '../../helpers/index.js';

const NOW = new Date('2026-11-23T12:00:00Z');

/** Rule ids (of the PERM/EXPO/SEC families) each vulnerable app must show. */
const EXPECTED: Record<string, string[]> = {
  'serverless-app': [
    'PERM-01',
    'PERM-09',
    'EXPO-01',
    'EXPO-02',
    'EXPO-05',
    'EXPO-07',
    'EXPO-13',
    'SEC-01',
    'SEC-03',
    'SEC-05',
    'SEC-09',
    'SEC-10',
  ],
  'sam-app': [
    'PERM-04',
    'PERM-05',
    'PERM-08',
    'PERM-09',
    'EXPO-01',
    'EXPO-02',
    'EXPO-03',
    'EXPO-05',
    'EXPO-06',
    'SEC-01',
    'SEC-06',
    'SEC-08',
  ],
  'terraform-app': ['PERM-02', 'PERM-04', 'PERM-06', 'PERM-08', 'PERM-09', 'EXPO-01', 'EXPO-03', 'EXPO-06', 'EXPO-13', 'SEC-01', 'SEC-06'],
  'cdk-app': ['PERM-02', 'PERM-05', 'PERM-06', 'PERM-09', 'PERM-10', 'EXPO-01', 'EXPO-04', 'EXPO-05', 'EXPO-12', 'SEC-01'],
};

describe('example apps', () => {
  for (const [app, rules] of Object.entries(EXPECTED)) {
    test(`vulnerable/${app} shows its weaknesses`, async () => {
      const r = await scan({ root: join(REPO_DIR, 'examples', 'vulnerable', app), now: NOW });
      const found = new Set(r.findings.filter((f) => !f.suppressed).map((f) => f.ruleId));
      const missing = rules.filter((id) => !found.has(id));
      assert.deepEqual(missing, [], `missing findings in vulnerable/${app}`);
    });
    test(`fixed/${app} reports nothing at high or above`, async () => {
      const r = await scan({ root: join(REPO_DIR, 'examples', 'fixed', app), now: NOW });
      assert.ok(r.functions.length > 0, 'no function loaded');
      const bad = r.findings.filter((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= SEVERITY_RANK.high);
      assert.deepEqual(
        bad.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line} ${f.message}`),
        [],
      );
    });
  }
});
