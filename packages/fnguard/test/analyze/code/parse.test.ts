import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseModule, parseModuleAsync, positionIndex } from '../../../src/analyze/code/parse.js';

/** The definition: count the newlines before the offset. */
function naivePosition(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < Math.min(offset, source.length); i++)
    if (source[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  return { line, column: offset - lineStart + 1 };
}

describe('positionIndex', () => {
  test('agrees with counting newlines for offsets asked in any order', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\n', ' ', '\r'), maxLength: 200 });
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 60 }), fc.boolean(), (source, raw, sorted) => {
        const offsets = raw.map((o) => o % (source.length + 1));
        if (sorted) offsets.sort((a, b) => a - b);
        const position = positionIndex(source);
        for (const o of offsets) assert.deepEqual(position(o), naivePosition(source, o), `offset ${o} of ${JSON.stringify(source)}`);
      }),
      { numRuns: 300 },
    );
  });

  test('first and last lines, empty lines, the end of the text', () => {
    const source = 'ab\n\n\ncd\nlast';
    const position = positionIndex(source);
    for (const o of [0, 13, 12, 3, 4, 5, 2, 8, 9, 0, 1, 6, 7, 13, 5])
      assert.deepEqual(position(o), naivePosition(source, o), `offset ${o}`);
  });
});

describe('parseModuleAsync', () => {
  const cases: [string, string][] = [
    ['/p/a.js', 'const x = require("./b");\nexports.handler = async (event) => x(event.body);\n'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source in a string
    ['/p/b.ts', 'export const f = (e: APIGatewayProxyEvent): string => `${e.body}`;\n'],
    ['/p/c.js', 'export default () => <div>{1}</div>;\n'],
    ['/p/d.js', 'function (\n'],
    ['/p/e.js', 'a\u0000b'],
  ];
  for (const [file, source] of cases)
    test(`same outcome as parseModule: ${file}`, async () => {
      const sync = parseModule(file, source);
      const async_ = await parseModuleAsync(file, source);
      assert.deepEqual(async_.diagnostics, sync.diagnostics);
      assert.equal(async_.module?.language, sync.module?.language);
      assert.deepEqual(async_.module?.program, sync.module?.program);
    });
});
