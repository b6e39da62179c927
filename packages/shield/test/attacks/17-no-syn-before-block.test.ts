// Row 17: a guard that destroys sockets from diagnostics_channel lets the TCP handshake happen (and raw data go
// out). The shield refuses before connect(): the loopback server must see no connection at all in block mode.
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 17,
  title: 'no connection reaches the server before the block',
  policy: 'network',
  code: `
    const net = require('net');
    return {
      fetch: await t(async () => { try { await (await fetch('http://127.0.0.1:' + ctx.httpPort + '/x')).text(); } catch (e) { throw e.cause || e; } }),
      rawWrite: await t(async () => { const s = net.connect(ctx.httpPort, '127.0.0.1'); s.write('GET /leak HTTP/1.0\\r\\n\\r\\n'); await once(s, 'connect'); s.destroy(); }),
    };
  `,
  effect: (_ctx, c) => c.tcp > 0,
});
