/**
 * Which IP addresses a webhook may be sent to: public unicast only. Ranges come from ipaddr.js (the same library
 * Express uses for proxy addresses); an IPv6 address that embeds an IPv4 one (::ffff:a.b.c.d, 64:ff9b::a.b.c.d) is
 * judged by the IPv4 address it reaches.
 */
import ipaddr from 'ipaddr.js';

export interface AddressVerdict {
  /** Public unicast: a webhook may go there. */
  public: boolean;
  /** What the address is, in words for an error message: "loopback", "private", "link-local"… */
  kind: string;
}

const KIND_NAMES: Record<string, string> = {
  unicast: 'public',
  private: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  carrierGradeNat: 'shared (carrier-grade NAT)',
  deprecatedSiteLocal: 'site-local',
};

const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

/** Classifies an IPv4 or IPv6 address (no brackets); anything that does not parse is not public. */
export function classifyAddress(address: string): AddressVerdict {
  if (!ipaddr.isValid(address)) return { public: false, kind: 'invalid' };
  const reached = reachedAddress(ipaddr.parse(address));
  // The rest of ::/96 (deprecated IPv4-compatible addresses) is not public either, though ipaddr.js calls it unicast.
  const range =
    reached.kind() === 'ipv6' &&
    reached
      .toByteArray()
      .slice(0, 12)
      .every((b) => b === 0) &&
    reached.range() === 'unicast'
      ? 'reserved'
      : reached.range();
  return { public: range === 'unicast', kind: KIND_NAMES[range] ?? 'reserved' };
}

function reachedAddress(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  if (v6.match(NAT64)) return ipaddr.fromByteArray(v6.toByteArray().slice(12));
  return v6;
}
