// Row 15: UDP exfiltration with dgram (send with address, connect + send).
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 15,
  title: 'dgram send / connect',
  policy: 'network',
  code: `
    const dgram = require('dgram');
    const s = dgram.createSocket('udp4');
    const s2 = dgram.createSocket('udp4');
    const r = {
      send: await t(() => cb((k) => s.send(Buffer.from('exfil-1'), ctx.udpPort, '127.0.0.1', k))),
      connectSend: await t(async () => { s2.connect(ctx.udpPort, '127.0.0.1'); await once(s2, 'connect'); await cb((k) => s2.send('exfil-2', k)); }),
    };
    s.close(); s2.close();
    return r;
  `,
  effect: (_ctx, c) => c.udp >= 2,
});
