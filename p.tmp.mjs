import { parseSync, rawTransferSupported } from 'oxc-parser';
import fs from 'node:fs'; import path from 'node:path';
const files=[];function w(d){for(const n of fs.readdirSync(d)){const p=path.join(d,n);const s=fs.statSync(p);if(s.isDirectory())w(p);else if(/\.js$/.test(n)&&s.size<500000)files.push(fs.readFileSync(p,'utf8'));}}
w('node_modules/yaml');w('node_modules/ajv');
let tot=0;for(const f of files)tot+=f.length;
const raw=rawTransferSupported();console.log(process.version,'raw',raw);
for (const mode of ['json','raw','json','raw','json','raw']) { if(mode==='raw'&&!raw) continue; const t=performance.now();for(const f of files){const r=parseSync('a.js',f,{preserveParens:false,experimentalRawTransfer:mode==='raw'}); r.program;}const ms=performance.now()-t;console.log(mode,(tot/1048576).toFixed(2)+'MiB',ms.toFixed(0)+'ms',(tot/1048576/(ms/1000)).toFixed(1)+'MiB/s')}
