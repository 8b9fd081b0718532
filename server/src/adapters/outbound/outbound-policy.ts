import { BlockList, isIP } from 'node:net';
import { classifyAddress, embeddedIpv4, ipv6Bytes } from './address-class.js';

/** What an admin lets the hive reach besides public addresses (`BORGHIVE_OUTBOUND_ALLOW`). */
export interface OutboundAllow {
  /** `address/prefix`, IPv4 or IPv6. */
  cidrs: readonly { address: string; prefix: number; family: 'ipv4' | 'ipv6' }[];
  /** Lower-case host names, exactly as they appear in a URL. */
  hosts: readonly string[];
}

export const NOTHING_ALLOWED: OutboundAllow = { cidrs: [], hosts: [] };

/**
 * Decides whether the hive may connect to an address on behalf of a user (a webhook, an ntfy server):
 * public addresses yes; loopback, private, link-local, CGNAT, multicast and reserved ones only when
 * the address lies in an allowed CIDR or the URL names an allowed host.
 */
export class OutboundPolicy {
  private readonly cidrs = new BlockList();
  private readonly hosts: ReadonlySet<string>;

  constructor(allow: OutboundAllow = NOTHING_ALLOWED) {
    for (const c of allow.cidrs) this.cidrs.addSubnet(c.address, c.prefix, c.family);
    this.hosts = new Set(allow.hosts.map(normaliseHost));
  }

  /** True when the URL's host name is on the allow list: its addresses are not checked. */
  allowsHost(hostname: string): boolean {
    return this.hosts.has(normaliseHost(hostname));
  }

  /** Null when connecting to `address` is allowed, else why not (safe to show: names no address). */
  refusal(address: string): string | null {
    const ip = address.replace(/%.*$/, '');
    const cls = classifyAddress(ip);
    if (cls === 'public') return null;
    if (this.inAllowedCidr(ip)) return null;
    return `a ${cls} address, which the hive does not call (an admin may allow it with BORGHIVE_OUTBOUND_ALLOW)`;
  }

  private inAllowedCidr(ip: string): boolean {
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (this.cidrs.check(ip, family)) return true;
    if (family === 'ipv4') return false;
    const bytes = ipv6Bytes(ip);
    const v4 = bytes === null ? null : embeddedIpv4(bytes);
    return v4 !== null && v4 !== 'unspecified' && this.cidrs.check(v4, 'ipv4');
  }
}

function normaliseHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[(.*)\]$/, '$1');
}
