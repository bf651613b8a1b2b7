import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { refusedResolutionProblem, resolveHost, type Resolve } from './url-guard';

/** fetch's shape, as the channels and the feed poller call it. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Raised from the connection's lookup: the name resolved to an address messages may not go to. */
export class RefusedAddressError extends Error {
  readonly code = 'EREFUSEDADDRESS';
}

/**
 * A fetch whose connections go only to public unicast addresses. outboundUrlProblem checks a URL before a request,
 * but the request resolves the name again when it connects, and a name whose owner answers with a public address to
 * the check and 127.0.0.1 to the connection (DNS rebinding) would reach this server's own network; here the addresses
 * the connection uses are the ones checked. IP literals are not looked up, so outboundUrlProblem still checks them.
 */
export function publicAddressFetch(resolve: Resolve = resolveHost): Fetch {
  const lookup = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        if (!addresses.length) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), []);
        const refused = refusedResolutionProblem(hostname, addresses);
        if (refused) return callback(new RefusedAddressError(refused), []);
        const entries = addresses.map((address) => ({ address, family: isIP(address) })).filter((entry) => !options.family || entry.family === options.family);
        if (!entries.length) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), []);
        if (options.all) callback(null, entries);
        else callback(null, entries[0].address, entries[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
  const dispatcher = new Agent({ connect: { lookup } });
  return (url, init) => undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
}

/** The fetch for URLs anyone may give us: guarded unless private addresses are allowed (an intranet, tests on loopback). */
export function outboundFetch(allowPrivate: boolean, resolve?: Resolve): Fetch {
  return allowPrivate ? (url, init) => fetch(url, init) : publicAddressFetch(resolve);
}
