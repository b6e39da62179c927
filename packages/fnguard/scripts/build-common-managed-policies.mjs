#!/usr/bin/env node
/**
 * Regenerates data/aws-managed-policies-common.json from data/aws-managed-policies.br: the few
 * AWS-managed policies that the loaders attach themselves (SAM's generated role and its event-source
 * policies, the Serverless Framework's VPC policy) or that templates name most, so that a scan
 * referencing only those never decompresses the whole file. Same data, same shape
 * (`{ source, policies: { name: { arn, version, statements } } }`); a test checks that it matches
 * the .br file. Run it after build-managed-policies.mjs:
 *
 *   node packages/fnguard/scripts/build-common-managed-policies.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

/** Keep in step with COMMON_MANAGED_POLICIES in test/policy/managed.test.ts (the test reads this file). */
export const COMMON = [
  'AWSLambdaBasicExecutionRole',
  'AWSLambdaVPCAccessExecutionRole',
  'AWSLambdaSQSQueueExecutionRole',
  'AWSLambdaKinesisExecutionRole',
  'AWSLambdaDynamoDBExecutionRole',
  'AWSLambdaMSKExecutionRole',
  'AWSLambdaExecute',
  'AWSLambdaRole',
  'AWSXRayDaemonWriteAccess',
  'AWSXrayWriteOnlyAccess',
  'CloudWatchLambdaInsightsExecutionRolePolicy',
  'AdministratorAccess',
];

const data = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');
const text = brotliDecompressSync(readFileSync(join(data, 'aws-managed-policies.br'))).toString('utf8');
const nl = text.indexOf('\n');
const header = JSON.parse(text.slice(0, nl));
const body = text.slice(nl + 1);
const policies = {};
for (const name of COMMON) {
  const at = header.index[name];
  if (!at) throw new Error(`${name} is not in aws-managed-policies.br`);
  policies[name] = JSON.parse(body.slice(at[0], at[0] + at[1]));
}
const file = join(data, 'aws-managed-policies-common.json');
writeFileSync(file, `${JSON.stringify({ source: header.source, policies })}\n`);
console.log(`${COMMON.length} policies -> ${file}`);
