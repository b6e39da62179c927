// Row 13: http.Agent#createConnection and new http.ClientRequest (bypassed a naive guard on Node 20).
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 13,
  title: 'http.Agent#createConnection / new http.ClientRequest / fetch',
  policy: 'network',
  code: `
    const http = require('http');
    return {
      agentCreateConnection: await t(async () => { const s = new http.Agent().createConnection({ port: ctx.httpPort, host: '127.0.0.1' }); await once(s, 'connect'); s.destroy(); }),
      clientRequest: await t(async () => { const req = new http.ClientRequest({ host: '127.0.0.1', port: ctx.httpPort, path: '/', agent: false }); req.end(); const res = await once(req, 'response'); res.resume(); }),
      fetch: await t(async () => { try { const r = await fetch('http://127.0.0.1:' + ctx.httpPort + '/'); await r.text(); } catch (e) { throw e.cause || e; } }),
    };
  `,
  effect: (_ctx, c) => c.http >= 2,
});
