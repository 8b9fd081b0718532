import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** What kind of address a connection would go to; only `public` is reachable without an allow list. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared (CGNAT)'
  | 'multicast'
  | 'unspecified'
  | 'reserved';

type Rule = readonly [prefix: string, bits: number, cls: Exclude<AddressClass, 'public'>];

// IANA IPv4 Special-Purpose Address Registry, minus the few that are globally reachable anycast.
const V4_RULES: readonly Rule[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

// Everything outside 2000::/3 (global unicast) is refused below; these are the holes inside it.
const V6_RULES: readonly Rule[] = [
  ['2001::', 23, 'reserved'], // IETF protocol assignments: Teredo, ORCHID, benchmarking...
  ['2001:db8::', 32, 'reserved'],
  ['3fff::', 20, 'reserved'],
];
const V6_OUTSIDE_GLOBAL: readonly Rule[] = [
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'],
  ['ff00::', 8, 'multicast'],
];

function blockListOf(rules: readonly Rule[], family: 'ipv4' | 'ipv6'): [BlockList, Rule][] {
  return rules.map((rule) => {
    const list = new BlockList();
    list.addSubnet(rule[0], rule[1], family);
    return [list, rule];
  });
}

const v4 = blockListOf(V4_RULES, 'ipv4');
const v6 = blockListOf(V6_RULES, 'ipv6');
const v6Outside = blockListOf(V6_OUTSIDE_GLOBAL, 'ipv6');

/**
 * Classifies an IP address (v4 or v6, with or without a `%zone`). IPv6 forms that carry an IPv4 address
 * (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96` and 6to4 `2002::/16`)
 * are classified by that IPv4 address, so `::ffff:127.0.0.1` is loopback. Anything unparsable is reserved.
 */
export function classifyAddress(address: string): AddressClass {
  const ip = address.replace(/%.*$/, '');
  if (isIPv4(ip)) return classifyV4(ip);
  if (!isIPv6(ip)) return 'reserved';
  const bytes = ipv6Bytes(ip);
  if (bytes === null) return 'reserved';
  const embedded = embeddedIpv4(bytes);
  if (embedded !== null) return embedded === 'unspecified' ? 'unspecified' : classifyV4(embedded);
  if (bytes.every((b, i) => (i === 15 ? b === 1 : b === 0))) return 'loopback';
  for (const [list, rule] of v6Outside) if (list.check(ip, 'ipv6')) return rule[2];
  if ((bytes[0]! & 0xe0) !== 0x20) return 'reserved'; // not 2000::/3
  for (const [list, rule] of v6) if (list.check(ip, 'ipv6')) return rule[2];
  return 'public';
}

/** The IPv4 address an IPv6 address stands for, when it is one of the embedding forms. */
export function embeddedIpv4(bytes: Uint8Array): string | 'unspecified' | null {
  const zero = (from: number, to: number) => bytes.subarray(from, to).every((b) => b === 0);
  const quad = (at: number) => Array.from(bytes.subarray(at, at + 4)).join('.');
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return quad(12); // ::ffff:0:0/96
  if (zero(0, 12)) return zero(12, 16) ? 'unspecified' : bytes[15] === 1 && zero(12, 15) ? null : quad(12); // ::/96
  // NAT64 well-known prefix 64:ff9b::/96 (the local-use 64:ff9b:1::/48 is outside 2000::/3: reserved)
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12))
    return quad(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return quad(2); // 6to4 2002:aabb:ccdd::/48
  return null;
}

/** The 16 bytes of a valid IPv6 address (as `net.isIPv6` accepts it), or null. */
export function ipv6Bytes(ip: string): Uint8Array | null {
  let text = ip;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted[1]!.split('.').map(Number));
    text = `${text.slice(0, dotted.index)}0:0`; // placeholder groups, replaced by `tail`
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  if (tail.length === 4) bytes.set(tail, 12);
  return bytes;
}

function classifyV4(ip: string): AddressClass {
  if (ip === '255.255.255.255') return 'reserved';
  for (const [list, rule] of v4) if (list.check(ip, 'ipv4')) return rule[2];
  return 'public';
}
