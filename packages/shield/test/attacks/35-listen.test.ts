// Row 35: listen(): under the permission model on 25+ a denied listen crashes the process asynchronously;
// the shield refuses it synchronously (network entries "listen:<port>" allow it).
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 35,
  title: 'server listen',
  policy: 'network',
  code: `
    const net = require('net');
    const http = require('http');
    return {
      netListen: await t(async () => { const s = net.createServer(); s.listen(0, '127.0.0.1'); await once(s, 'listening'); s.close(); }),
      httpListen: await t(async () => { const s = http.createServer(); s.listen({ port: 0, host: '127.0.0.1' }); await once(s, 'listening'); s.close(); }),
    };
  `,
});
