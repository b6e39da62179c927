// Data files ship with the package: a missing or damaged one is an error that names the file, never an empty data set.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataFile, readDataFile, readDataJson } from '../src/dataFile.js';

test('a shipped data file is read; a missing one is an error naming it', () => {
  const runtimes = readDataJson<{ runtimes: Record<string, unknown> }>('lambda-runtimes.json');
  assert.ok(Object.keys(runtimes.runtimes).length > 10);
  assert.ok(readDataFile('aws-managed-policies.br').length > 100_000);
  assert.match(dataFile('x.json').pathname, /\/packages\/fnguard\/data\/x\.json$/);
  assert.throws(() => readDataJson('no-such-file.json'), /fnguard data file .*no-such-file\.json cannot be read \(ENOENT\).*reinstall/);
});
