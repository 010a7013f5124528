package io.renderrelay.worker.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The hosts output URLs may point at. Entries are exact host names ({@code cdn.example.com}) or
 * {@code *.suffix} patterns, which match any subdomain at any depth but not the bare suffix ({@code
 * *.example.com} matches {@code a.example.com} and {@code a.b.example.com}, not {@code
 * example.com}). Matching ignores case and a trailing dot. An empty list allows any host (the
 * address checks still apply).
 */
public final class HostAllowList {
  private final Set<String> exact;
  private final List<String> suffixes;

  private HostAllowList(Set<String> exact, List<String> suffixes) {
    this.exact = Set.copyOf(exact);
    this.suffixes = List.copyOf(suffixes);
  }

  /** Parses the patterns; throws IllegalArgumentException naming a malformed one. */
  public static HostAllowList of(Collection<String> patterns) {
    Set<String> exact = new HashSet<>();
    List<String> suffixes = new ArrayList<>();
    for (String raw : patterns) {
      String p = normalize(raw == null ? "" : raw.strip());
      if (p.startsWith("*.")) {
        String suffix = p.substring(1);
        if (suffix.length() < 2 || suffix.indexOf('*') >= 0 || !validHost(suffix.substring(1))) {
          throw new IllegalArgumentException("bad allowed output host pattern '" + raw + "'");
        }
        suffixes.add(suffix);
      } else {
        if (p.isEmpty() || p.indexOf('*') >= 0 || !validHost(p)) {
          throw new IllegalArgumentException(
              "bad allowed output host '" + raw + "' (use a host name or *.suffix)");
        }
        exact.add(p);
      }
    }
    return new HostAllowList(exact, suffixes);
  }

  /** True when every host is allowed (no entries). */
  public boolean allowsAnyHost() {
    return exact.isEmpty() && suffixes.isEmpty();
  }

  /** Whether this host (a name or an IP literal, brackets allowed) may be downloaded from. */
  public boolean permits(String host) {
    if (allowsAnyHost()) {
      return true;
    }
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = normalize(host);
    if (exact.contains(h)) {
      return true;
    }
    for (String suffix : suffixes) {
      if (h.length() > suffix.length() && h.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  static String normalize(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  private static boolean validHost(String h) {
    if (h.isEmpty() || h.startsWith(".") || h.contains("..")) {
      return false;
    }
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return allowsAnyHost() ? "HostAllowList[any]" : "HostAllowList" + exact + suffixes;
  }
}
