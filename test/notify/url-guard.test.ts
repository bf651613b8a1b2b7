import { outboundUrlProblem, refusedAddressReason, type Resolve } from '../../src/notify/url-guard';

/** A resolver that knows a few names, as DNS would answer them; anything else does not resolve. */
const dns: Record<string, string[]> = {
  'hooks.example.com': ['52.85.12.34', '2600:9000:2000::1'],
  'metadata.example.com': ['169.254.169.254'],
  'sneaky.example.com': ['52.85.12.34', '10.0.0.7'],
  'intranet.example.com': ['192.168.1.20'],
  'v6-loopback.example.com': ['::1'],
};
const resolve: Resolve = async (host) => {
  if (!(host in dns)) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return dns[host];
};
const guarded = (url: string) => outboundUrlProblem(url, { allowPrivate: false, resolve });

describe('outbound URL guard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.0.10', 'private'],
    ['fd00:ec2::254', 'private'],
    ['fc00::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['100.100.100.200', 'shared'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::1', 'loopback'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(refusedAddressReason(address)).toBe(`is ${/^[aeiu]/.test(kind) ? 'an' : 'a'} ${kind} address`);
  });

  it.each(['52.85.12.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('allows the public address %s', (address) => {
    expect(refusedAddressReason(address)).toBeNull();
  });

  it('refuses URLs whose host is, or resolves to, an address of our own network, naming it', async () => {
    expect(await guarded('http://127.0.0.1:8080/hook')).toBe('host 127.0.0.1 is a loopback address');
    expect(await guarded('http://[::1]/hook')).toBe('host ::1 is a loopback address');
    // Other spellings of 127.0.0.1 are normalised by the URL parser before the check.
    expect(await guarded('http://2130706433/hook')).toBe('host 127.0.0.1 is a loopback address');
    expect(await guarded('http://0x7f.1/hook')).toBe('host 127.0.0.1 is a loopback address');
    expect(await guarded('http://[::ffff:a9fe:a9fe]/latest/meta-data')).toBe('host ::ffff:a9fe:a9fe is a link-local address');
    expect(await guarded('https://localhost/hook')).toBe('host localhost is a loopback address');
    expect(await guarded('https://api.localhost./hook')).toBe('host api.localhost is a loopback address');
    expect(await guarded('https://metadata.example.com/computeMetadata/v1/')).toBe('host metadata.example.com resolves to 169.254.169.254, which is a link-local address');
    // One private answer among public ones is enough: the connection might use it.
    expect(await guarded('https://sneaky.example.com/hook')).toBe('host sneaky.example.com resolves to 10.0.0.7, which is a private address');
    expect(await guarded('https://v6-loopback.example.com/hook')).toBe('host v6-loopback.example.com resolves to ::1, which is a loopback address');
    expect(await guarded('https://nowhere.example.com/hook')).toBe('host nowhere.example.com does not resolve');
  });

  it('refuses what is not an http(s) URL, or carries credentials, whatever the address policy', async () => {
    for (const allowPrivate of [false, true]) {
      const check = (url: string) => outboundUrlProblem(url, { allowPrivate, resolve });
      expect(await check('not a url')).toBe('is not a URL');
      expect(await check('ftp://hooks.example.com/x')).toBe('must be an http or https URL');
      expect(await check('file:///etc/passwd')).toBe('must be an http or https URL');
      expect(await check('https://user:pass@hooks.example.com/x')).toBe('must not contain a user name or password');
    }
  });

  it('allows public hosts, and private ones only when the deployment allows them', async () => {
    expect(await guarded('https://hooks.example.com/services/T0/B0/x')).toBeNull();
    expect(await guarded('http://52.85.12.34:8443/hook')).toBeNull();
    const allowing = (url: string) => outboundUrlProblem(url, { allowPrivate: true, resolve });
    expect(await allowing('http://127.0.0.1:8080/hook')).toBeNull();
    expect(await allowing('https://intranet.example.com/hook')).toBeNull();
    expect(await guarded('https://intranet.example.com/hook')).toBe('host intranet.example.com resolves to 192.168.1.20, which is a private address');
  });
});
