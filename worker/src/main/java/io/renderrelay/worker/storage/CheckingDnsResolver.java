package io.renderrelay.worker.storage;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.http.conn.DnsResolver;

/**
 * The Apache HttpClient DNS hook of {@link SafeDownloader}: resolves the host itself and refuses
 * the whole host if any of its addresses is refused by the policy. The connection operator connects
 * only to the array returned here, so the checked addresses are the connected ones.
 */
final class CheckingDnsResolver implements DnsResolver {
  private final HostResolver resolver;
  private final OutputUrlPolicy policy;

  CheckingDnsResolver(HostResolver resolver, OutputUrlPolicy policy) {
    this.resolver = resolver;
    this.policy = policy;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    String name = HostAllowList.normalize(host);
    InetAddress[] addresses = resolver.resolve(name);
    if (addresses == null || addresses.length == 0) {
      throw new UnknownHostException("output URL host " + name + " has no address");
    }
    for (InetAddress address : addresses) {
      var refusal = policy.refuseAddress(name, address);
      if (refusal.isPresent()) {
        throw new RefusedAddressException(refusal.get());
      }
    }
    return addresses.clone();
  }

  /** A resolved address the policy refuses; carries the reason text. */
  static final class RefusedAddressException extends UnknownHostException {
    RefusedAddressException(String reason) {
      super(reason);
    }
  }
}
