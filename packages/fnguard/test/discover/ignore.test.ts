import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { globMatcher, matchIgnore, parseIgnoreFile, parseIgnorePattern } from '../../src/discover/ignore.js';

const ignored = (patterns: string, rel: string, isDir = false) => matchIgnore([parseIgnoreFile(patterns, '')], rel, isDir) === true;

test('gitignore semantics', () => {
  assert.equal(ignored('*.log', 'a.log'), true);
  assert.equal(ignored('*.log', 'deep/x/a.log'), true);
  assert.equal(ignored('*.log\n!keep.log', 'keep.log'), false);
  assert.equal(ignored('/top.js', 'top.js'), true);
  assert.equal(ignored('/top.js', 'sub/top.js'), false);
  assert.equal(ignored('a/b', 'a/b'), true);
  assert.equal(ignored('a/b', 'x/a/b'), false);
  assert.equal(ignored('build/', 'build', true), true);
  assert.equal(ignored('build/', 'build', false), false);
  assert.equal(ignored('**/fixtures', 'x/y/fixtures', true), true);
  assert.equal(ignored('a/**/z', 'a/z'), true);
  assert.equal(ignored('a/**/z', 'a/b/c/z'), true);
  assert.equal(ignored('a/**', 'a/b/c'), true);
  assert.equal(ignored('file?.txt', 'file1.txt'), true);
  assert.equal(ignored('file?.txt', 'file10.txt'), false);
  assert.equal(ignored('[ab].js', 'a.js'), true);
  assert.equal(ignored('[!ab].js', 'a.js'), false);
  assert.equal(ignored('[!ab].js', 'c.js'), true);
  assert.equal(ignored('\\#hash', '#hash'), true);
  assert.equal(ignored('# comment\n\n', 'comment'), false);
  assert.equal(ignored('trailing.js   ', 'trailing.js'), true);
  assert.equal(ignored('a.js', 'a.jsx'), false);
  assert.equal(ignored('*.js', 'dir/a.js/x'), false);
});

test('nested ignore files apply relative to their directory', () => {
  const stack = [parseIgnoreFile('*.tmp', ''), parseIgnoreFile('local.js\n!x.tmp', 'pkg')];
  assert.equal(matchIgnore(stack, 'pkg/local.js', false), true);
  assert.equal(matchIgnore(stack, 'local.js', false), undefined);
  assert.equal(matchIgnore(stack, 'pkg/x.tmp', false), false);
  assert.equal(matchIgnore(stack, 'pkg/y.tmp', false), true);
});

test('globMatcher for rule ids and paths', () => {
  assert.ok(globMatcher('PERM-*').test('PERM-01'));
  assert.ok(!globMatcher('PERM-*').test('EXPO-01'));
  assert.ok(globMatcher('svc/**').test('svc/a/b.yml'));
  assert.ok(!globMatcher('svc/*').test('svc/a/b.yml'));
});

test('hostile patterns never throw and match in linear time', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 100 }), (pat, path) => {
      const p = parseIgnorePattern(pat);
      if (p) p.test(path);
    }),
    { numRuns: 2000 },
  );
  const p = parseIgnorePattern(`${'*a'.repeat(40)}b`);
  const t = Date.now();
  assert.equal(p?.test('a'.repeat(4000)), false);
  assert.ok(Date.now() - t < 1000, 'no catastrophic backtracking');
});
