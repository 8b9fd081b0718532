import { isIP } from 'node:net';
import type { OutboundAllow } from '../adapters/outbound/outbound-policy.js';

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*$/;

/**
 * `BORGHIVE_OUTBOUND_ALLOW`: comma-separated CIDRs (`10.0.0.0/8`, `fd00::/8`), single addresses and
 * host names (`ntfy.internal`) the hive may call although they are not public. Problems are appended.
 */
export function parseOutboundAllow(raw: string | undefined, problems: string[]): OutboundAllow {
  const cidrs: OutboundAllow['cidrs'][number][] = [];
  const hosts: string[] = [];
  for (const entry of (raw ?? '').split(',').map((e) => e.trim().toLowerCase())) {
    if (entry === '') continue;
    const [address = '', prefixText, extra] = entry.replace(/^\[(.*)\]/, '$1').split('/');
    const version = isIP(address);
    if (version !== 0 && extra === undefined) {
      const max = version === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : Number(prefixText);
      if (/^\d{1,3}$/.test(prefixText ?? String(max)) && prefix >= 0 && prefix <= max) {
        cidrs.push({ address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' });
        continue;
      }
    } else if (
      prefixText === undefined &&
      HOST_NAME.test(entry.replace(/\.$/, '')) &&
      !/^[\d.]+$/.test(entry)
    ) {
      hosts.push(entry.replace(/\.$/, ''));
      continue;
    }
    problems.push(
      `BORGHIVE_OUTBOUND_ALLOW: "${entry}" is neither a CIDR (10.0.0.0/8, fd00::/8), an IP address nor a host name`,
    );
  }
  return { cidrs, hosts };
}
