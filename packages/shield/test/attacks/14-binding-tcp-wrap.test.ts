// Row 14: raw TCP through process.binding('tcp_wrap').
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 14,
  title: "process.binding('tcp_wrap') raw connect",
  policy: 'network',
  code: `
    return {
      tcpWrap: await t(() => new Promise((res, rej) => {
        const { TCP, TCPConnectWrap, constants } = process.binding('tcp_wrap');
        const h = new TCP(constants.SOCKET);
        const req = new TCPConnectWrap();
        req.oncomplete = (status) => { h.close(); status === 0 ? res() : rej(new Error('connect ' + status)); };
        const err = h.connect(req, '127.0.0.1', ctx.httpPort);
        if (err) rej(new Error('connect ' + err));
      })),
    };
  `,
  effect: (_ctx, c) => c.tcp >= 1,
});
