// Network allow-list matching: host names (exact or `*.suffix`), host:port, IPv4/IPv6 addresses and CIDRs, unix sockets.

export interface NetMatcher {
  /** A host name or IP literal (no brackets) and a port (or undefined when unknown / not applicable). */
  host(host: string, port: number | undefined): boolean;
  /** Only IP rules (addresses and CIDRs): used to check addresses returned by DNS. */
  ip(ip: string, port: number | undefined): boolean;
  unix(path: string): boolean;
  /** True when some rule is an address/CIDR, so a name not on the list may still resolve to an allowed address. */
  readonly hasIpRules: boolean;
}

interface NameRule {
  name: string;
  wildcard: boolean;
  port: number | undefined;
}
interface IpRule {
  bytes: Uint8Array;
  bits: number;
  port: number | undefined;
}

export function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

export function parseIPv6(s: string): Uint8Array | undefined {
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return undefined;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIPv4(last);
    if (!v4) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const dbl = s.split('::');
  if (dbl.length > 2) return undefined;
  const groups = (x: string): number[] | undefined => {
    if (x === '') return [];
    const g = x.split(':').map((h) => (/^[0-9a-fA-F]{1,4}$/.test(h) ? Number.parseInt(h, 16) : Number.NaN));
    return g.some(Number.isNaN) ? undefined : g;
  };
  const head = groups(dbl[0]!);
  const rest = dbl.length === 2 ? groups(dbl[1]!) : [];
  if (!head || !rest) return undefined;
  let all: number[];
  if (dbl.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return undefined;
    all = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else all = head;
  if (all.length !== 8) return undefined;
  if (tail.length) all.splice(6, 2, ...tail);
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[i * 2] = all[i]! >> 8;
    out[i * 2 + 1] = all[i]! & 0xff;
  }
  return out;
}

/** IPv4 as 4 bytes; IPv6 as 16 bytes, except IPv4-mapped addresses (::ffff:a.b.c.d), which become 4 bytes. */
export function parseIp(s: string): Uint8Array | undefined {
  const v4 = parseIPv4(s);
  if (v4) return v4;
  const v6 = parseIPv6(s);
  if (!v6) return undefined;
  if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return v6.slice(12);
  return v6;
}

function inPrefix(addr: Uint8Array, rule: IpRule): boolean {
  if (addr.length !== rule.bytes.length) return false;
  let bits = rule.bits;
  for (let i = 0; i < addr.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((addr[i]! & mask) !== (rule.bytes[i]! & mask)) return false;
  }
  return true;
}

function parsePort(p: string | undefined): number | undefined {
  if (p === undefined || p === '*') return undefined;
  const n = Number(p);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : -1;
}

/** Compile allow-list entries (validated by the policy) into a matcher. Invalid entries match nothing. */
export function compileNetAllow(entries: readonly string[]): NetMatcher {
  const names: NameRule[] = [];
  const ips: IpRule[] = [];
  const unix: string[] = [];
  for (const raw of entries) {
    const e = raw.trim();
    if (e.startsWith('unix:')) {
      unix.push(e.slice(5));
      continue;
    }
    if (e.includes('/')) {
      const [ip, bits] = e.split('/');
      const bytes = parseIp(ip!);
      const b = Number(bits);
      if (!bytes || !Number.isInteger(b)) continue;
      // An IPv4-mapped CIDR was reduced to 4 bytes: shift its prefix length accordingly.
      const max = bytes.length * 8;
      const eff = ip!.includes(':') && bytes.length === 4 ? b - 96 : b;
      if (eff < 0 || eff > max) continue;
      ips.push({ bytes, bits: eff, port: undefined });
      continue;
    }
    let host = e;
    let port: number | undefined;
    const br = /^\[([^\]]+)\](?::(\d+|\*))?$/.exec(e);
    if (br) {
      host = br[1]!;
      port = parsePort(br[2]);
    } else if ((e.match(/:/g) ?? []).length === 1) {
      const i = e.lastIndexOf(':');
      host = e.slice(0, i);
      port = parsePort(e.slice(i + 1));
    }
    const bytes = parseIp(host);
    if (bytes) ips.push({ bytes, bits: bytes.length * 8, port });
    else if (host.startsWith('*.')) names.push({ name: host.slice(1).toLowerCase(), wildcard: true, port });
    else names.push({ name: host.toLowerCase().replace(/\.$/, ''), wildcard: false, port });
  }
  const portOk = (rule: number | undefined, port: number | undefined) => rule === undefined || rule === port;
  const ipMatch = (ip: string, port: number | undefined): boolean => {
    const a = parseIp(ip);
    if (!a) return false;
    for (const r of ips) if (portOk(r.port, port) && inPrefix(a, r)) return true;
    return false;
  };
  return {
    hasIpRules: ips.length > 0,
    ip: ipMatch,
    unix: (p) => unix.includes(p),
    host(host, port) {
      if (parseIp(host)) return ipMatch(host, port);
      const h = host.toLowerCase().replace(/\.$/, '');
      for (const r of names) {
        if (!portOk(r.port, port)) continue;
        if (r.wildcard ? h.endsWith(r.name) && h.length > r.name.length : h === r.name) return true;
      }
      return false;
    },
  };
}

export const AWS_ENDPOINTS = ['*.amazonaws.com', '*.amazonaws.com.cn', '*.api.aws', '*.on.aws'];
