// Row 12: new net.Socket().connect() and tls.connect() skip net.connect/http.request patches.
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 12,
  title: 'new net.Socket().connect() / tls.connect()',
  policy: 'network',
  code: `
    const net = require('net');
    const tls = require('tls');
    return {
      socketConnect: await t(async () => { const s = new net.Socket(); s.connect(ctx.httpPort, '127.0.0.1'); await once(s, 'connect'); s.destroy(); }),
      netConnectOptions: await t(async () => { const s = net.connect({ port: ctx.httpPort, host: '127.0.0.1' }); await once(s, 'connect'); s.destroy(); }),
      tlsConnect: await t(async () => { const s = tls.connect({ port: ctx.tlsPort, host: '127.0.0.1', rejectUnauthorized: false }); await once(s, 'secureConnect'); s.destroy(); }),
    };
  `,
  effect: (_ctx, c) => c.tcp >= 2 && c.tls >= 1,
});
