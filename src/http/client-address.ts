import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/**
 * The client's address for a raw request (a WebSocket upgrade), read the way Fastify reads `request.ip` under
 * TRUST_PROXY: X-Forwarded-For only counts when it was set by a trusted proxy.
 */
export function clientAddressOf(trustProxy: boolean | string[]): (request: IncomingMessage) => string {
  if (trustProxy === false) return (request) => request.socket.remoteAddress ?? '';
  const trust = trustProxy === true ? () => true : proxyAddr.compile(trustProxy);
  return (request) => proxyAddr(request, trust);
}
