import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where status subscribers' Slack and webhook messages may go: anyone can subscribe a URL, so without this guard a
 * subscription would make this server post to its own network (loopback, private ranges, cloud metadata at
 * 169.254.169.254 or fd00:ec2::254). Checked when a URL is subscribed and again, by the fan-out, before each delivery
 * (a name may resolve elsewhere by then).
 */

/** An address's kind, and the ranges of it that are refused; IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) count as IPv4. */
const REFUSED: ReadonlyArray<readonly [kind: string, ranges: ReadonlyArray<readonly [network: string, prefix: number]>]> = [
  ['unspecified', [['0.0.0.0', 8], ['::', 128]]],
  ['loopback', [['127.0.0.0', 8], ['::1', 128]]],
  ['private', [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['fc00::', 7]]],
  // Cloud metadata services answer on link-local addresses (169.254.169.254, fd00:ec2::254 is private).
  ['link-local', [['169.254.0.0', 16], ['fe80::', 10]]],
  // Carrier-grade NAT; Alibaba Cloud's metadata answers at 100.100.100.200.
  ['shared', [['100.64.0.0', 10]]],
  ['multicast', [['224.0.0.0', 4], ['ff00::', 8]]],
  // IETF protocol assignments, benchmarking, documentation, reserved and broadcast; IPv4-compatible, discard,
  // Teredo, local-use NAT64 and documentation IPv6.
  ['reserved', [['192.0.0.0', 24], ['192.0.2.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['240.0.0.0', 4], ['::', 96], ['100::', 64], ['2001::', 32], ['2001:db8::', 32], ['64:ff9b:1::', 48]]],
];

const BLOCKS = REFUSED.map(([kind, ranges]) => {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, isIP(network) === 6 ? 'ipv6' : 'ipv4');
  return [kind, list] as const;
});

/** Why `address` (an IP address) is not one messages may be sent to, or null for a public unicast address. */
export function refusedAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'is not an IP address';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const [kind, list] of BLOCKS) if (list.check(address, type)) return `is ${/^[aeiu]/.test(kind) ? 'an' : 'a'} ${kind} address`;
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed.
  const embedded = family === 6 ? embeddedIpv4(address) : null;
  return embedded ? refusedAddressReason(embedded) : null;
}

function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0)) return ipv4Of(groups[6], groups[7]);
  if (groups[0] === 0x2002) return ipv4Of(groups[1], groups[2]);
  return null;
}

function ipv4Of(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included). */
function expandIpv6(address: string): number[] {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  const text = dotted ? address.replace(dotted[1], ipv4Groups(dotted[1])) : address;
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const start = parse(head);
  const end = tail === undefined ? [] : parse(tail);
  return [...start, ...Array<number>(8 - start.length - end.length).fill(0), ...end];
}

function ipv4Groups(dotted: string): string {
  const [a, b, c, d] = dotted.split('.').map(Number);
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** Every address a host name resolves to. */
export type Resolve = (host: string) => Promise<string[]>;

const RESOLVE_TIMEOUT_MS = 3000;

/** The system resolver (as the delivery's own connection uses it), every address of both families. */
export const resolveHost: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

export interface UrlGuardOptions {
  /** Skip the address checks (STATUS_SUBSCRIBER_ALLOW_PRIVATE_URLS: an intranet deployment, tests on loopback). */
  allowPrivate: boolean;
  resolve?: Resolve;
}

/**
 * Why messages may not be posted to `url`, or null: it must be an absolute http(s) URL without credentials, whose
 * host is, or resolves only to, public unicast addresses (unless allowPrivate).
 */
export async function outboundUrlProblem(url: string, { allowPrivate, resolve = resolveHost }: UrlGuardOptions): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http or https URL';
  if (parsed.username || parsed.password) return 'must not contain a user name or password';
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  if (isIP(host)) return hostProblem(host, refusedAddressReason(host));
  // RFC 6761: localhost names are loopback whatever a resolver says.
  if (host === 'localhost' || host.endsWith('.localhost')) return hostProblem(host, 'is a loopback address');
  let addresses: string[];
  try {
    addresses = await withTimeout(resolve(host), RESOLVE_TIMEOUT_MS);
  } catch {
    return `host ${host} does not resolve`;
  }
  if (!addresses.length) return `host ${host} does not resolve`;
  return refusedResolutionProblem(host, addresses);
}

/** Why messages may not go to `host` resolved to `addresses`, naming the first refused one, or null when none is. */
export function refusedResolutionProblem(host: string, addresses: readonly string[]): string | null {
  for (const address of addresses) {
    const reason = refusedAddressReason(address);
    if (reason) return `host ${host} resolves to ${address}, which ${reason}`;
  }
  return null;
}

function hostProblem(host: string, reason: string | null): string | null {
  return reason ? `host ${host} ${reason}` : null;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
