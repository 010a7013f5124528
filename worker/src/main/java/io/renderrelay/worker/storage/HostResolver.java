package io.renderrelay.worker.storage;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Name resolution, injectable so tests can map names without a DNS server. */
@FunctionalInterface
public interface HostResolver {

  InetAddress[] resolve(String host) throws UnknownHostException;

  /** The JVM's resolver (system DNS, /etc/hosts). */
  static HostResolver system() {
    return InetAddress::getAllByName;
  }
}
