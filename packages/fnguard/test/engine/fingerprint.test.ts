import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprint } from '../../src/engine/fingerprint.js';

test('fingerprints are pinned: changing the scheme would invalidate every baseline', () => {
  assert.equal(
    fingerprint('EXPO-01', 'serverless:serverless.yml#api', null, 'url  auth none'),
    'bf3492a65e5b96a5ab4a7fc0c91fed93b30ce9950deee9c825894c1f24ff7994',
  );
});

test('fingerprints depend on rule, function, resource, key and occurrence, and normalize whitespace', () => {
  const base = fingerprint('EXPO-01', 'f', 'R', 'k e y');
  assert.match(base, /^[0-9a-f]{64}$/);
  assert.equal(fingerprint('EXPO-01', 'f', 'R', ' k   e\ty '), base);
  for (const other of [
    fingerprint('EXPO-02', 'f', 'R', 'k e y'),
    fingerprint('EXPO-01', 'g', 'R', 'k e y'),
    fingerprint('EXPO-01', 'f', 'S', 'k e y'),
    fingerprint('EXPO-01', 'f', 'R', 'key'),
    fingerprint('EXPO-01', 'f', 'R', 'k e y', 1),
  ]) {
    assert.notEqual(other, base);
  }
  assert.notEqual(fingerprint('A-01', 'f\0x', null, 'k'), fingerprint('A-01', 'f', 'x', 'k'), 'fields cannot run into each other');
});
