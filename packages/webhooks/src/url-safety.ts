// Where a webhook may point: checked when the URL is saved and again on every connection the
// delivery worker opens (DNS may change between the two, or between two attempts).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface WebhookTargetPolicy {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: loopback, private and other non-public addresses are accepted (development, tests). */
  allowPrivateTargets: boolean;
  /** http:// is accepted (everywhere but production). */
  allowHttp: boolean;
}

/** IPv6 global unicast, the only IPv6 space with public hosts. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
/** IETF protocol assignments (Teredo, benchmarking, ORCHID, AMT, anycast services): no webhook receivers. */
const IETF_PROTOCOL_V6 = ipaddr.parseCIDR('2001::/23');

/**
 * Whether an address (IPv4 in dotted decimal, or IPv6) is a public unicast one. ipaddr.js classifies
 * it; an IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries. Everything but `unicast` is refused:
 * loopback, private (RFC 1918, fc00::/7), link-local, carrier-grade NAT (100.64/10), multicast,
 * unspecified, broadcast, reserved and documentation ranges, and IPv6 translation prefixes (6to4,
 * Teredo, NAT64), which can lead to any IPv4 address. An IPv6 address must moreover lie in global
 * unicast (2000::/3) outside the IETF protocol block (2001::/23): that refuses every other form that
 * embeds an IPv4 address (IPv4-compatible ::a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d, NAT64's
 * local-use 64:ff9b:1::/48) and whatever ipaddr.js does not name.
 */
export function isPublicAddress(address: string): boolean {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return ipaddr.IPv4.parse(address).range() === 'unicast';
  const hex = ipv6InHex(address);
  if (!hex) return false;
  const v6 = ipaddr.IPv6.parse(hex);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === 'unicast';
  return v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST_V6) && !v6.match(IETF_PROTOCOL_V6);
}

/**
 * An IPv6 address written in hexadecimal groups only (as WHATWG URLs serialise it), or undefined.
 * ipaddr.js reads a dotted tail after `::` (`::8.8.8.8`, the form inet_ntop gives IPv4-compatible
 * addresses) as IPv4-mapped; in hex it is judged as the IPv6 address it is.
 */
function ipv6InHex(address: string): string | undefined {
  if (!address.includes(':')) return undefined;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

export class UnsafeWebhookTarget extends Error {
  override readonly name = 'UnsafeWebhookTarget';
}

function addressAllowed(address: string, policy: WebhookTargetPolicy): boolean {
  return policy.allowPrivateTargets || isPublicAddress(address);
}

/** The URL's own shape: scheme, no credentials. Throws UnsafeWebhookTarget with the reason. */
export function parseWebhookUrl(raw: string, policy: WebhookTargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeWebhookTarget('the URL is not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp))
    throw new UnsafeWebhookTarget(policy.allowHttp ? 'the URL must be http or https' : 'the URL must be https');
  if (url.username || url.password) throw new UnsafeWebhookTarget('the URL must not carry credentials');
  if (!url.hostname) throw new UnsafeWebhookTarget('the URL names no host');
  return url;
}

/** A URL's host without the brackets of an IPv6 literal. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Every address a host resolves to, or the address itself for an IP literal. */
async function resolveAll(host: string): Promise<LookupAddress[]> {
  const family = isIP(host);
  if (family) return [{ address: host, family }];
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );
}

/**
 * The whole check, as done when a URL is saved: its shape, then every address its host resolves
 * to must be allowed. Throws UnsafeWebhookTarget with the reason. For a host name the reason is the
 * same whether it does not resolve or resolves to an address that is refused, and names no address:
 * the answer must not tell a caller what names resolve to inside the service's network.
 */
export async function checkWebhookUrl(raw: string, policy: WebhookTargetPolicy): Promise<URL> {
  const url = parseWebhookUrl(raw, policy);
  const host = hostOf(url);
  if (isIP(host)) {
    if (!addressAllowed(host, policy)) throw new UnsafeWebhookTarget(`the address ${host} is not public`);
    return url;
  }
  const addresses = await resolveAll(host).catch(() => [] as LookupAddress[]);
  if (addresses.length === 0 || addresses.some((a) => !addressAllowed(a.address, policy)))
    throw new UnsafeWebhookTarget(`the host "${host}" does not resolve, or resolves to an address that is not public`);
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls connections (undici's `connect.lookup`): resolves the host, refuses the
 * connection unless every address is allowed, and connects to the addresses it checked, so a DNS
 * answer that changes between the check and the connection (rebinding) cannot slip through.
 */
export function checkedLookup(policy: WebhookTargetPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback) => {
    resolveAll(hostname).then(
      (addresses) => {
        if (addresses.length === 0 || addresses.some((a) => !addressAllowed(a.address, policy))) {
          // Recorded as the attempt's lastError, which the partner reads: no address is named.
          const error: NodeJS.ErrnoException = new UnsafeWebhookTarget(
            `"${hostname}" resolves to an address that is not public`,
          );
          error.code = 'EWEBHOOKTARGET';
          callback(error, '');
          return;
        }
        const family = options.family === 6 || options.family === 'IPv6' ? 6 : options.family === 4 ? 4 : 0;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (options.all) callback(null, usable);
        else if (usable[0]) callback(null, usable[0].address, usable[0].family);
        else callback(Object.assign(new Error(`no IPv${family} address for "${hostname}"`), { code: 'ENOTFOUND' }), '');
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}
