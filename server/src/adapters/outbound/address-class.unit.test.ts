import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyAddress, ipv6Bytes } from './address-class.js';
import { OutboundPolicy } from './outbound-policy.js';

describe('address classifier', () => {
  const cases: [string, string][] = [
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fc00::1', 'private'],
    ['fec0::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'], // Teredo
    ['100::1', 'reserved'], // discard prefix, outside 2000::/3
    ['64:ff9b:1::a00:1', 'reserved'], // local-use NAT64
    // IPv6 forms that carry an IPv4 address are judged by that address
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'], // IPv4-compatible
    ['::a9fe:a9fe', 'link-local'],
    ['64:ff9b::7f00:1', 'loopback'], // NAT64
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::808:808', 'public'],
    ['2002:7f00:1::1', 'loopback'], // 6to4
    ['2002:a9fe:a9fe::', 'link-local'],
    ['2002:808:808::1', 'public'],
    ['not an address', 'reserved'],
  ];
  for (const [address, expected] of cases) {
    it(`${address} is ${expected}`, () => assert.equal(classifyAddress(address), expected));
  }

  it('parses IPv6 text into its 16 bytes', () => {
    assert.deepEqual(
      Array.from(ipv6Bytes('::ffff:1.2.3.4') ?? []),
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4],
    );
    assert.deepEqual(Array.from(ipv6Bytes('2001:db8::ff') ?? []), [
      0x20,
      1,
      0x0d,
      0xb8,
      ...Array<number>(11).fill(0),
      0xff,
    ]);
    assert.equal(ipv6Bytes('1::2::3'), null);
  });
});

describe('outbound policy', () => {
  it('refuses every non-public address without an allow list, naming no address', () => {
    const policy = new OutboundPolicy();
    assert.equal(policy.refusal('93.184.215.14'), null);
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '169.254.169.254',
      '::1',
      '::ffff:127.0.0.1',
      '100.64.1.1',
    ]) {
      const refusal = policy.refusal(address);
      assert.ok(refusal !== null, address);
      assert.ok(!refusal.includes(address), refusal);
      assert.match(refusal, /BORGHIVE_OUTBOUND_ALLOW/);
    }
  });

  it('lets an admin allow CIDRs (also in their IPv4-mapped form) and host names', () => {
    const policy = new OutboundPolicy({
      cidrs: [
        { address: '10.20.0.0', prefix: 16, family: 'ipv4' },
        { address: 'fd00::', prefix: 8, family: 'ipv6' },
      ],
      hosts: ['ntfy.internal'],
    });
    assert.equal(policy.refusal('10.20.3.4'), null);
    assert.equal(policy.refusal('::ffff:10.20.3.4'), null);
    assert.equal(policy.refusal('fd00::5'), null);
    assert.notEqual(policy.refusal('10.21.0.1'), null);
    assert.notEqual(policy.refusal('127.0.0.1'), null);
    assert.equal(policy.allowsHost('NTFY.internal.'), true);
    assert.equal(policy.allowsHost('other.internal'), false);
  });
});
