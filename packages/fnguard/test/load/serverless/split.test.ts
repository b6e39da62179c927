// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless Framework `${}` variable syntax in plain strings
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expr, FIXTURES, load } from './helpers.js';

describe('serverless adapter: config split over files', () => {
  it('reads functions and resources from ${file()} with positions in those files', async () => {
    const { app, diagnostics } = await load('split/serverless.yml');
    assert.deepEqual(diagnostics, []);
    const fn = app.functions?.[0];
    assert.equal(fn?.id, 'serverless:split/serverless.yml#consumer');
    assert.deepEqual([fn?.where.file, fn?.where.line], [join(FIXTURES, 'split/functions.yml'), 1]);
    const t = fn?.triggers[0];
    assert.equal(expr(t?.source), '!GetAtt Queue.Arn');
    assert.equal(t?.where.file, join(FIXTURES, 'split/functions.yml'));
    const q = app.resources?.find((r) => r.id === 'Queue');
    assert.equal(q?.props.redrive, true);
    assert.equal(q?.where.file, join(FIXTURES, 'split/resources/queues.yml'));
    assert.equal(q?.where.line, 2);
  });
});
