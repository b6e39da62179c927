import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileNetAllow, parseIPv6, parseIp } from '../../src/netmatch.cjs';

test('host names: exact, case, trailing dot, *.suffix wildcards (not the apex), ports', () => {
  const m = compileNetAllow(['api.example.com', '*.amazonaws.com', 'db.internal:5432', 'any.port:*']);
  assert.ok(m.host('api.example.com', 443));
  assert.ok(m.host('API.Example.COM.', 80));
  assert.ok(!m.host('evil-api.example.com', 443));
  assert.ok(m.host('s3.us-east-1.amazonaws.com', 443));
  assert.ok(m.host('sts.amazonaws.com', 443));
  assert.ok(!m.host('amazonaws.com', 443), 'wildcard does not match the apex');
  assert.ok(!m.host('amazonaws.com.evil.io', 443));
  assert.ok(!m.host('evilamazonaws.com', 443));
  assert.ok(m.host('db.internal', 5432));
  assert.ok(!m.host('db.internal', 5433));
  assert.ok(m.host('any.port', 1));
  assert.equal(m.hasIpRules, false);
});

test('IPv4 / IPv6 addresses, host:port, [v6]:port, CIDRs, IPv4-mapped IPv6', () => {
  const m = compileNetAllow(['10.0.0.0/8', '192.168.1.5:443', '[::1]:9001', 'fd00::/8', '::ffff:172.16.0.0/108']);
  assert.ok(m.hasIpRules);
  assert.ok(m.host('10.255.1.2', 80));
  assert.ok(!m.host('11.0.0.1', 80));
  assert.ok(m.host('192.168.1.5', 443));
  assert.ok(!m.host('192.168.1.5', 80));
  assert.ok(m.host('::1', 9001));
  assert.ok(!m.host('::1', 9002));
  assert.ok(m.host('fd12:3456::1', 1));
  assert.ok(!m.host('fe80::1', 1));
  assert.ok(m.host('::ffff:10.1.2.3', 1), 'mapped address matches an IPv4 CIDR');
  assert.ok(m.host('172.16.3.4', 1), 'mapped CIDR matches plain IPv4');
  assert.ok(!m.host('172.32.0.1', 1));
  assert.ok(m.ip('10.0.0.1', undefined));
  assert.ok(!m.host('10.0.0.1.nip.io', 80), 'a name that looks like an IP is a name');
});

test('unix sockets only when listed', () => {
  const m = compileNetAllow(['unix:/tmp/agent.sock']);
  assert.ok(m.unix('/tmp/agent.sock'));
  assert.ok(!m.unix('/tmp/other.sock'));
});

test('property: IPv4 CIDR matching equals integer prefix comparison', () => {
  fc.assert(
    fc.property(fc.nat(0xffffffff), fc.nat(0xffffffff), fc.integer({ min: 0, max: 32 }), (a, b, bits) => {
      const ip = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
      const m = compileNetAllow([`${ip(a)}/${bits}`]);
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      return m.ip(ip(b), undefined) === ((a & mask) >>> 0 === (b & mask) >>> 0);
    }),
    { numRuns: 2000 },
  );
});

test('property: IPv6 parsing agrees with the WHATWG URL serializer (compressed forms)', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constant(0), fc.nat(0xffff)), { minLength: 8, maxLength: 8 }), (groups) => {
      const full = groups.map((g) => g.toString(16)).join(':');
      const compressed = new URL(`http://[${full}]/`).hostname.slice(1, -1);
      const a = parseIPv6(full);
      const b = parseIPv6(compressed);
      assert.ok(a && b, `${full} / ${compressed}`);
      assert.deepEqual([...a], [...b]);
      for (let i = 0; i < 8; i++) assert.equal((a[i * 2]! << 8) | a[i * 2 + 1]!, groups[i]);
    }),
    { numRuns: 1000 },
  );
});

test('parseIp rejects garbage without throwing', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      parseIp(s);
      compileNetAllow([s]).host(s, 1);
    }),
  );
  for (const s of ['256.1.1.1', '1.2.3', '1::2::3', ':::', '1.2.3.4.5', 'gggg::1']) assert.equal(parseIp(s), undefined, s);
});
