import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseModule } from '../../../src/analyze/code/parse.js';
import type { Func, Stmt } from '../../../src/analyze/code/taint/ir.js';
import { lowerJs } from '../../../src/analyze/code/taint/lowerJs.js';

function funcOf(s: Stmt | undefined): Func {
  assert.ok(s?.k === 'decl' && s.value?.k === 'func', JSON.stringify(s?.k));
  return s.value.fn;
}

test('function bodies and parameters are lowered on first read, once, with the function name and type hint', () => {
  const { module } = parseModule(
    '/x/a.ts',
    'function f(a: string, { b }) { return a + b; }\nconst h: APIGatewayProxyHandler = async (event) => ({ statusCode: 200 });\n',
  );
  assert.ok(module);
  const ir = lowerJs(module);
  const f = funcOf(ir.body[0]);
  assert.equal(f.name, 'f');
  assert.deepEqual(f.loc, { file: '/x/a.ts', line: 1, column: 1 });
  const params = f.params;
  assert.equal(f.params, params, 'the same lowered array on the second read');
  assert.deepEqual(
    params.map((p) => p.k),
    ['name', 'obj'],
  );
  const body = f.body;
  assert.equal(f.body, body);
  assert.equal(body[0]?.k, 'return');
  const h = funcOf(ir.body[1]);
  assert.equal(h.name, 'h');
  assert.equal(h.typeHint, 'APIGatewayProxyHandler');
  assert.equal(h.body[0]?.k, 'return', 'an expression body is one return');
  assert.equal(f.id === h.id, false);
});
