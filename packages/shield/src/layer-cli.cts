// `npm run layer -w @fnguard/shield [-- out.zip]`: writes dist/shield-layer.zip by default.
import path = require('node:path');

import { buildLayerZip, packageRoot } from './layer.cjs';

const out = process.argv[2] ?? path.join(packageRoot(), 'dist', 'shield-layer.zip');
const r = buildLayerZip(out);
process.stdout.write(`wrote ${r.path} (${r.files} files, ${r.bytes} bytes)\n`);
