package io.renderrelay.worker.app;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** The management URL a replica advertises when {@code http.advertised-url} is not set. */
final class AdvertisedUrl {

  private AdvertisedUrl() {}

  /**
   * {@code http://<host>:<bound management port>}: the bind address, or this host's address when it
   * binds every interface.
   */
  static URI derive(String bindAddress, InetSocketAddress management) {
    String host = bindAddress;
    InetAddress bound = management.getAddress();
    if (bound == null || bound.isAnyLocalAddress()) {
      try {
        host = InetAddress.getLocalHost().getHostAddress();
      } catch (UnknownHostException e) {
        host = "127.0.0.1";
      }
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + management.getPort());
  }
}
