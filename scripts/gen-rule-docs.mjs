#!/usr/bin/env node
// Writes docs/rules/<ID>.md and docs/rules/README.md from the rule metadata (the single source of truth).
// Usage: npm run docs:rules            (write the pages)
//        npm run docs:rules -- --check (exit 1 when a page is missing or out of date)
//        npm run docs:rules -- --out DIR (write elsewhere; used by the tests)
// Runs the TypeScript sources through tsx, so no build is needed.
import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const { allRules } = await import('../packages/fnguard/src/rules/index.ts');
const { renderRuleDoc, renderRuleIndex, GENERATED_MARKER } = await import('../packages/fnguard/src/report/ruleDoc.ts');

const outIndex = process.argv.indexOf('--out');
const dir = outIndex > 0 && process.argv[outIndex + 1] ? process.argv[outIndex + 1] : join(root, 'docs', 'rules');
mkdirSync(dir, { recursive: true });
const wanted = new Map();
for (const rule of allRules) wanted.set(`${rule.meta.id}.md`, renderRuleDoc(rule.meta));
wanted.set('README.md', renderRuleIndex(allRules.map((r) => r.meta)));

let stale = 0;
for (const [name, text] of wanted) {
  const path = join(dir, name);
  let old = null;
  try {
    old = readFileSync(path, 'utf8');
  } catch {}
  if (old === text) continue;
  stale++;
  if (check) console.error(`out of date: ${join(dir, name)}`);
  else writeFileSync(path, text);
}
// remove generated pages of rules that no longer exist
for (const name of readdirSync(dir)) {
  if (!name.endsWith('.md') || wanted.has(name)) continue;
  const text = readFileSync(join(dir, name), 'utf8');
  if (!text.startsWith(GENERATED_MARKER)) continue;
  stale++;
  if (check) console.error(`orphan: ${join(dir, name)}`);
  else unlinkSync(join(dir, name));
}
if (check && stale > 0) process.exit(1);
console.log(check ? `${dir}: ${wanted.size} pages up to date` : `${dir}: ${wanted.size} pages (${stale} written or removed)`);
