package io.renderrelay.worker.storage;

import java.net.InetAddress;
import java.util.Optional;

/** Decides which resolved addresses an output download may connect to. */
@FunctionalInterface
public interface AddressFilter {

  /**
   * Why the address is refused (e.g. "a private address"), or empty to allow it.
   *
   * @param host the URL's host name (normalized: lower case, no brackets or trailing dot)
   * @param address one address the host resolved to
   */
  Optional<String> refusal(String host, InetAddress address);

  /** Production rule: public unicast addresses only. */
  static AddressFilter publicOnly() {
    return (host, address) -> AddressClassifier.nonPublicReason(address);
  }

  /**
   * Dev-mode rule (allowInsecureOutputs): loopback and private addresses allowed so a local
   * simulator can serve outputs, but cloud metadata endpoints stay refused in every mode.
   */
  static AddressFilter devMode() {
    return (host, a) ->
        AddressClassifier.isCloudMetadata(a)
            ? Optional.of("a cloud metadata address")
            : Optional.empty();
  }
}
