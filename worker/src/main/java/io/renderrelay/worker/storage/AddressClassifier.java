package io.renderrelay.worker.storage;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Sorts IP addresses into public unicast addresses and everything an output download must never
 * reach (private, loopback, link-local, site-local, unique-local, multicast, CGNAT, reserved,
 * documentation, cloud metadata), each with a readable reason. Pure: no DNS, no sockets.
 */
public final class AddressClassifier {

  private record Rule(byte[] prefix, int bits, String reason) {
    boolean matches(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != prefix[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (prefix[full] & mask);
    }
  }

  private static final String METADATA = "a cloud metadata address";

  private static final List<Rule> METADATA_RULES =
      List.of(
          rule("169.254.169.254", 32, METADATA),
          rule("169.254.170.2", 32, METADATA),
          rule("100.100.100.200", 32, METADATA),
          rule("fd00:ec2::254", 128, METADATA));

  private static final List<Rule> IPV4_RULES =
      List.of(
          rule("0.0.0.0", 8, "an unspecified ('this network') address"),
          rule("10.0.0.0", 8, "a private address"),
          rule("100.64.0.0", 10, "a carrier-grade NAT address"),
          rule("127.0.0.0", 8, "a loopback address"),
          rule("169.254.0.0", 16, "a link-local address"),
          rule("172.16.0.0", 12, "a private address"),
          rule("192.0.0.0", 24, "an IETF protocol assignment address"),
          rule("192.0.2.0", 24, "a documentation address"),
          rule("192.168.0.0", 16, "a private address"),
          rule("198.18.0.0", 15, "a benchmarking address"),
          rule("198.51.100.0", 24, "a documentation address"),
          rule("203.0.113.0", 24, "a documentation address"),
          rule("224.0.0.0", 4, "a multicast address"),
          rule("240.0.0.0", 4, "a reserved or broadcast address"));

  private static final List<Rule> IPV6_RULES =
      List.of(
          rule("::", 128, "an unspecified address"),
          rule("::1", 128, "a loopback address"),
          rule("64:ff9b:1::", 48, "a local-use NAT64 address"),
          rule("100::", 64, "a discard-only address"),
          rule("2001::", 32, "a Teredo tunnel address"),
          rule("2001:db8::", 32, "a documentation address"),
          rule("fc00::", 7, "a unique-local address"),
          rule("fe80::", 10, "a link-local address"),
          rule("fec0::", 10, "a site-local address"),
          rule("ff00::", 8, "a multicast address"));

  private static final Rule IPV4_MAPPED = rule("::ffff:0:0", 96, "");
  private static final Rule IPV4_COMPATIBLE = rule("::", 96, "an IPv4-compatible IPv6 address");
  private static final Rule NAT64 = rule("64:ff9b::", 96, "");
  private static final Rule SIX_TO_FOUR = rule("2002::", 16, "");

  private AddressClassifier() {}

  /** Why this address is not a public unicast address, or empty when it is public. */
  public static Optional<String> nonPublicReason(InetAddress address) {
    byte[] bytes = address.getAddress();
    Optional<String> metadata = metadataReason(bytes);
    if (metadata.isPresent()) {
      return metadata;
    }
    if (bytes.length == 4) {
      return firstMatch(IPV4_RULES, bytes);
    }
    Optional<byte[]> embedded = embeddedIpv4(bytes);
    if (embedded.isPresent()) {
      return nonPublicReason(toInet(embedded.get()));
    }
    Optional<String> v6 = firstMatch(IPV6_RULES, bytes);
    if (v6.isPresent()) {
      return v6;
    }
    return IPV4_COMPATIBLE.matches(bytes)
        ? Optional.of(IPV4_COMPATIBLE.reason())
        : Optional.empty();
  }

  /** True for the well-known cloud instance metadata endpoints (AWS, ECS, Alibaba, AWS IPv6). */
  public static boolean isCloudMetadata(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (metadataReason(bytes).isPresent()) {
      return true;
    }
    return embeddedIpv4(bytes).map(v4 -> metadataReason(v4).isPresent()).orElse(false);
  }

  private static Optional<String> metadataReason(byte[] bytes) {
    return firstMatch(METADATA_RULES, bytes);
  }

  /** The IPv4 address carried inside an IPv4-mapped, NAT64 or 6to4 IPv6 address. */
  private static Optional<byte[]> embeddedIpv4(byte[] bytes) {
    if (bytes.length != 16) {
      return Optional.empty();
    }
    if (IPV4_MAPPED.matches(bytes) || NAT64.matches(bytes)) {
      return Optional.of(Arrays.copyOfRange(bytes, 12, 16));
    }
    if (SIX_TO_FOUR.matches(bytes)) {
      return Optional.of(Arrays.copyOfRange(bytes, 2, 6));
    }
    return Optional.empty();
  }

  private static Optional<String> firstMatch(List<Rule> rules, byte[] bytes) {
    return rules.stream().filter(r -> r.matches(bytes)).map(Rule::reason).findFirst();
  }

  private static InetAddress toInet(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address of 4 or 16 bytes", e);
    }
  }

  private static Rule rule(String literal, int bits, String reason) {
    try {
      InetAddress parsed = InetAddress.getByName(literal);
      byte[] bytes = parsed.getAddress();
      if (literal.contains(":") && bytes.length == 4) {
        // getByName turns ::ffff:a.b.c.d into an Inet4Address; rebuild the 16-byte form.
        bytes = ipv4Mapped(bytes);
      }
      return new Rule(bytes, bits, reason);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("bad built-in address literal " + literal, e);
    }
  }

  private static byte[] ipv4Mapped(byte[] v4) {
    byte[] out = new byte[16];
    out[10] = (byte) 0xff;
    out[11] = (byte) 0xff;
    System.arraycopy(v4, 0, out, 12, 4);
    return out;
  }
}
