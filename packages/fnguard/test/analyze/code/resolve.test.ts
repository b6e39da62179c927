import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileSystemView, resolveEntry, resolveFileLike } from '../../../src/analyze/code/resolve.js';
import { rmTree, tmpTree } from '../../helpers/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmTree(d);
});

/** A scan root inside an outer directory, so that files next to the root exist but are outside it. */
function layout(): { outer: string; root: string } {
  const outer = tmpTree(
    {
      'secret.ts': 'outside the root',
      'proj/index.ts': 'root index',
      'proj/src/a.ts': 'a',
      'proj/src/lib/index.js': 'lib index',
      'proj/src/plain': 'a file without extension',
      'proj/dist/b.js': 'compiled',
    },
    'fnguard-resolve-',
  );
  dirs.push(outer);
  const root = join(outer, 'proj');
  symlinkSync(join(root, 'src/a.ts'), join(root, 'src/linked.ts'));
  symlinkSync(join(root, 'src/lib'), join(root, 'src/libLink'));
  mkdirSync(join(root, 'src/empty'));
  return { outer, root };
}

describe('fileSystemView', () => {
  test('answers from listings, inside the root only', () => {
    const { outer, root } = layout();
    const fs = fileSystemView(root, [], () => undefined);
    assert.equal(fs.isFile(join(root, 'src/a.ts')), true);
    assert.equal(fs.isFile(join(root, 'src/missing.ts')), false);
    assert.equal(fs.isFile(join(root, 'nope/a.ts')), false);
    assert.equal(fs.isFile(join(root, 'src')), false, 'a directory is not a file');
    assert.equal(fs.isFile(root), false);
    assert.equal(fs.isFile(join(outer, 'secret.ts')), false, 'outside the root');
    assert.equal(fs.isFile(`${root}/../secret.ts`), false, 'outside the root through ..');
    assert.equal(fs.isFile(`${root}/src/../src/a.ts`), true, 'an unnormalized path inside the root');
    assert.equal(fs.isFile(join(root, 'src/linked.ts')), true, 'a symlink to a file');
    assert.equal(fs.isFile(join(root, 'src/libLink')), false, 'a symlink to a directory');
  });

  test('known files count even without a listing', () => {
    const { root } = layout();
    const fs = fileSystemView(root, [join(root, 'virtual/x.ts')], () => undefined);
    assert.equal(fs.isFile(join(root, 'virtual/x.ts')), true);
  });

  test('mayBeDirectory: false only for what is certainly no directory', () => {
    const { root } = layout();
    const fs = fileSystemView(root, [], () => undefined);
    const may = (p: string) => fs.mayBeDirectory?.(p);
    assert.equal(may(join(root, 'src/lib')), true);
    assert.equal(may(join(root, 'src/libLink')), true, 'a symlink may point to a directory');
    assert.equal(may(join(root, 'src/empty')), true);
    assert.equal(may(join(root, 'src/a.ts')), false, 'a file');
    assert.equal(may(join(root, 'src/nothing')), false, 'absent');
    assert.equal(may(join(root, 'absent/dir')), false, 'absent parent');
    assert.equal(may(root), true, 'the root itself');
    assert.equal(may(`${root}/src/a.ts/..`), true, 'not a plain entry name');
    assert.equal(may(`${root}/src/lib/`), true, 'trailing separator');
  });

  test('resolveFileLike: extensions, index files, unnormalized bases and the root index', () => {
    const { outer, root } = layout();
    const fs = fileSystemView(root, [], () => undefined);
    assert.equal(resolveFileLike(fs, join(root, 'src/a')), join(root, 'src/a.ts'));
    assert.equal(resolveFileLike(fs, join(root, 'src/a.js')), join(root, 'src/a.ts'), 'the TypeScript source of ./a.js');
    assert.equal(resolveFileLike(fs, join(root, 'src/lib')), join(root, 'src/lib/index.js'));
    assert.equal(resolveFileLike(fs, join(root, 'src/libLink')), join(root, 'src/libLink/index.js'));
    assert.equal(resolveFileLike(fs, join(root, 'src/plain')), undefined, 'a file without a code extension');
    assert.equal(resolveFileLike(fs, join(root, 'src/empty')), undefined);
    assert.equal(resolveFileLike(fs, join(root, 'src/missing')), undefined);
    assert.equal(resolveFileLike(fs, root), join(root, 'index.ts'), 'the index file of the root');
    assert.equal(resolveFileLike(fs, `${root}/src/a.ts/../lib`), join(root, 'src/lib/index.js'));
    assert.equal(resolveFileLike(fs, `${root}/src/..`), join(root, 'index.ts'));
    assert.equal(resolveFileLike(fs, join(outer, 'secret')), undefined, 'outside the root');
  });

  test('resolveEntry: handlers behind dist/, missing handlers say what was tried', () => {
    const { root } = layout();
    const fs = fileSystemView(root, [], () => undefined);
    const found = resolveEntry(fs, { handler: 'dist/b.handler', codeDir: root }, root);
    assert.equal(found.file, join(root, 'dist/b.js'));
    assert.deepEqual(found.exportPath, ['handler']);
    writeFileSync(join(root, 'src/b.ts'), 'source of b');
    const fs2 = fileSystemView(root, [], () => undefined);
    assert.equal(resolveEntry(fs2, { handler: 'dist/b.handler', codeDir: root }, root).file, join(root, 'src/b.ts'));
    const missing = resolveEntry(fs2, { handler: 'src/gone.main', codeDir: root }, root);
    assert.equal(missing.file, undefined);
    assert.equal(missing.reason, "no source file for handler 'src/gone.main' (tried src/gone)");
    // artifacts are named relative to the root as path.relative does, `..` segments included
    const zipped = resolveEntry(fs2, { handler: 'nothere.handler', codeArtifact: `${root}/build/../out/fn.zip` }, root);
    assert.match(zipped.reason ?? '', /\(the code is given as the artifact out\/fn\.zip\)$/);
    const outside = resolveEntry(fs2, { handler: 'nothere.handler', codeArtifact: join(root, '../fn.zip') }, root);
    assert.match(outside.reason ?? '', /\(the code is given as the artifact \.\.\/fn\.zip\)$/);
  });
});
