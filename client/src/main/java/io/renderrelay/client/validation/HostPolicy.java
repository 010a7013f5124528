package io.renderrelay.client.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Classifies a URL host by its text alone: IP literals in loopback, private, link-local,
 * unique-local, CGNAT, metadata, documentation, multicast or reserved ranges, and names that only
 * mean something inside a network ({@code localhost}, {@code *.internal}, single labels). It never
 * resolves DNS: a public-looking name that resolves to a private address is not caught here (the
 * provider fetches input URLs; the worker only with its optional pre-flight check, whose downloader
 * checks every resolved address).
 */
final class HostPolicy {

  /** What a host is. */
  enum Kind {
    PUBLIC,
    INTERNAL,
    MALFORMED
  }

  /** A host's classification and, unless public, why. */
  record Verdict(Kind kind, String reason) {}

  private static final Verdict PUBLIC = new Verdict(Kind.PUBLIC, "");
  private static final Pattern NUMERIC_LABEL = Pattern.compile("0x[0-9a-f]*|[0-9]+");
  private static final Pattern V4_LABEL = Pattern.compile("0|[1-9][0-9]{0,2}");
  private static final Pattern V6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
  private static final Set<String> INTERNAL_NAMES =
      Set.of("localhost", "localhost.localdomain", "metadata", "instance-data", "ip6-localhost");
  private static final List<String> INTERNAL_SUFFIXES =
      List.of(".localhost", ".local", ".localdomain", ".internal", ".home.arpa", ".lan");

  /** IPv4 ranges as {network, prefix length}; with their labels. */
  private static final long[][] V4_RANGES = {
    {0x00000000L, 8}, {0x0A000000L, 8}, {0x64400000L, 10}, {0x7F000000L, 8},
    {0xA9FE0000L, 16}, {0xAC100000L, 12}, {0xC0000000L, 24}, {0xC0000200L, 24},
    {0xC0A80000L, 16}, {0xC6120000L, 15}, {0xC6336400L, 24}, {0xCB007100L, 24},
    {0xE0000000L, 4}, {0xF0000000L, 4}
  };

  private static final String[] V4_LABELS = {
    "'this network' 0.0.0.0/8",
    "private 10.0.0.0/8",
    "carrier-grade NAT 100.64.0.0/10",
    "loopback 127.0.0.0/8",
    "link-local/metadata 169.254.0.0/16",
    "private 172.16.0.0/12",
    "IETF protocol 192.0.0.0/24",
    "documentation 192.0.2.0/24",
    "private 192.168.0.0/16",
    "benchmarking 198.18.0.0/15",
    "documentation 198.51.100.0/24",
    "documentation 203.0.113.0/24",
    "multicast 224.0.0.0/4",
    "reserved 240.0.0.0/4"
  };

  private HostPolicy() {}

  /** Classifies a host as returned by {@link java.net.URI#getHost()} (IPv6 in brackets). */
  static Verdict classify(String rawHost) {
    String host = rawHost.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      return classifyV6(host.substring(1, host.length() - 1));
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty()) {
      return new Verdict(Kind.MALFORMED, "empty host");
    }
    String[] labels = host.split("\\.", -1);
    if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
      int[] v4 = parseIpv4(host);
      if (v4 == null) {
        return new Verdict(Kind.MALFORMED, "non-canonical IPv4 literal");
      }
      return classifyV4(v4);
    }
    if (INTERNAL_NAMES.contains(host)) {
      return new Verdict(Kind.INTERNAL, "internal host name");
    }
    for (String suffix : INTERNAL_SUFFIXES) {
      if (host.endsWith(suffix)) {
        return new Verdict(Kind.INTERNAL, "internal domain " + suffix);
      }
    }
    if (labels.length == 1) {
      return new Verdict(Kind.INTERNAL, "single-label host names resolve via local search domains");
    }
    return PUBLIC;
  }

  /** Parses a canonical dotted-quad IPv4 literal (no leading zeros), else null. */
  static int[] parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    int[] out = new int[4];
    for (int i = 0; i < 4; i++) {
      if (!V4_LABEL.matcher(parts[i]).matches()) {
        return null;
      }
      out[i] = Integer.parseInt(parts[i]);
      if (out[i] > 255) {
        return null;
      }
    }
    return out;
  }

  private static Verdict classifyV4(int[] a) {
    long ip = ((long) a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3];
    for (int i = 0; i < V4_RANGES.length; i++) {
      long net = V4_RANGES[i][0];
      int bits = (int) V4_RANGES[i][1];
      long mask = (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
      if ((ip & mask) == net) {
        return new Verdict(Kind.INTERNAL, V4_LABELS[i]);
      }
    }
    return PUBLIC;
  }

  private static Verdict classifyV6(String text) {
    if (text.contains("%")) {
      return new Verdict(Kind.MALFORMED, "IPv6 zone ids are not allowed");
    }
    int[] w = parseIpv6(text);
    if (w == null) {
      return new Verdict(Kind.MALFORMED, "invalid IPv6 literal");
    }
    boolean zero96 = w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0;
    if (zero96 && w[6] == 0 && (w[7] == 0 || w[7] == 1)) {
      return new Verdict(Kind.INTERNAL, w[7] == 0 ? "unspecified ::" : "loopback ::1");
    }
    if (zero96) {
      return new Verdict(Kind.INTERNAL, "IPv4-compatible IPv6 (deprecated)");
    }
    boolean zero80 = w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0;
    if (zero80 && w[5] == 0xFFFF) {
      return embedded(w[6], w[7], "IPv4-mapped ");
    }
    if (w[0] == 0x64 && w[1] == 0xFF9B) {
      return w[2] == 0 ? embedded(w[6], w[7], "NAT64 ") : internal("local-use NAT64");
    }
    if (w[0] == 0x2002) {
      return embedded(w[1], w[2], "6to4 ");
    }
    if ((w[0] & 0xFE00) == 0xFC00) {
      return internal("unique-local fc00::/7");
    }
    if ((w[0] & 0xFFC0) == 0xFE80) {
      return internal("link-local fe80::/10");
    }
    if ((w[0] & 0xFFC0) == 0xFEC0) {
      return internal("site-local fec0::/10");
    }
    if ((w[0] & 0xFF00) == 0xFF00) {
      return internal("multicast ff00::/8");
    }
    if (w[0] == 0x2001 && (w[1] == 0x0DB8 || w[1] == 0)) {
      return internal(w[1] == 0 ? "Teredo 2001::/32" : "documentation 2001:db8::/32");
    }
    if (w[0] == 0x0100 && w[1] == 0 && w[2] == 0 && w[3] == 0) {
      return internal("discard-only 100::/64");
    }
    return PUBLIC;
  }

  private static Verdict internal(String reason) {
    return new Verdict(Kind.INTERNAL, reason);
  }

  private static Verdict embedded(int hi, int lo, String what) {
    Verdict v = classifyV4(new int[] {hi >> 8, hi & 0xFF, lo >> 8, lo & 0xFF});
    return v.kind() == Kind.PUBLIC ? v : internal(what + v.reason());
  }

  /** Parses an IPv6 literal (without brackets) into eight 16-bit words, else null. */
  static int[] parseIpv6(String s) {
    if (s.isEmpty() || !V6_CHARS.matcher(s).matches()) {
      return null;
    }
    int dc = s.indexOf("::");
    if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
      return null;
    }
    List<Integer> left = new ArrayList<>();
    List<Integer> right = new ArrayList<>();
    if (dc >= 0) {
      if (!words(s.substring(0, dc), left, false) || !words(s.substring(dc + 2), right, true)) {
        return null;
      }
    } else if (!words(s, left, true)) {
      return null;
    }
    int total = left.size() + right.size();
    if (dc >= 0 ? total > 7 : total != 8) {
      return null;
    }
    int[] out = new int[8];
    for (int i = 0; i < left.size(); i++) {
      out[i] = left.get(i);
    }
    for (int i = 0; i < right.size(); i++) {
      out[8 - right.size() + i] = right.get(i);
    }
    return out;
  }

  private static boolean words(String part, List<Integer> out, boolean mayEndWithV4) {
    if (part.isEmpty()) {
      return true;
    }
    String[] ws = part.split(":", -1);
    for (int i = 0; i < ws.length; i++) {
      String w = ws[i];
      if (i == ws.length - 1 && mayEndWithV4 && w.contains(".")) {
        int[] v4 = parseIpv4(w);
        if (v4 == null) {
          return false;
        }
        out.add(v4[0] << 8 | v4[1]);
        out.add(v4[2] << 8 | v4[3]);
        return true;
      }
      if (w.isEmpty() || w.length() > 4 || w.contains(".")) {
        return false;
      }
      out.add(Integer.parseInt(w, 16));
    }
    return true;
  }
}
