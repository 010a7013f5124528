package io.renderrelay.worker.storage;

import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What an output URL must satisfy before and while it is fetched: the scheme (https unless dev
 * mode), the host allow-list, and which resolved addresses may be connected to. Checked again on
 * every redirect hop.
 *
 * @param requireHttps refuse anything but https
 * @param allowedHosts host names or {@code *.suffix} patterns; empty allows any host
 * @param addressFilter decides which resolved addresses are acceptable
 */
public record OutputUrlPolicy(
    boolean requireHttps, HostAllowList allowedHosts, AddressFilter addressFilter) {

  public OutputUrlPolicy {
    Objects.requireNonNull(allowedHosts, "allowedHosts");
    Objects.requireNonNull(addressFilter, "addressFilter");
  }

  /** Production policy from the storage settings; allowInsecureOutputs is the dev-mode switch. */
  public static OutputUrlPolicy from(StorageSettings settings) {
    boolean insecure = settings.allowInsecureOutputs();
    return new OutputUrlPolicy(
        !insecure,
        HostAllowList.of(settings.allowedOutputHosts()),
        insecure ? AddressFilter.devMode() : AddressFilter.publicOnly());
  }

  /** Checks scheme, host presence and the allow-list; throws Rejected with the reason. */
  public void checkUrl(URI uri) throws CopyException.Rejected {
    if (uri == null || !uri.isAbsolute() || uri.isOpaque()) {
      throw new CopyException.Rejected("output URL is not an absolute URL");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new CopyException.Rejected("output URL scheme '" + scheme + "' is not https");
    }
    if (requireHttps && !scheme.equals("https")) {
      throw new CopyException.Rejected(
          "output URL scheme '" + scheme + "' is not https (plain http only in dev mode)");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new CopyException.Rejected("output URL has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new CopyException.Rejected("output URL for host " + host + " carries user info");
    }
    if (!allowedHosts.permits(host)) {
      throw new CopyException.Rejected(
          "output URL host " + host + " is not in the allowed output hosts");
    }
  }

  /**
   * The refusal text for one resolved address of a host, e.g. "output URL host 10.0.0.5 is a
   * private address" or "output URL host localhost resolves to 127.0.0.1, a loopback address".
   */
  public Optional<String> refuseAddress(String host, InetAddress address) {
    String h = HostAllowList.normalize(host);
    return addressFilter
        .refusal(h, address)
        .map(
            reason -> {
              String ip = address.getHostAddress();
              return isIpLiteral(h)
                  ? "output URL host " + h + " is " + reason
                  : "output URL host " + h + " resolves to " + ip + ", " + reason;
            });
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }
}
