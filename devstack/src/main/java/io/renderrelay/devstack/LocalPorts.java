package io.renderrelay.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback port helpers for the embedded servers: pick a free port, probe whether one is open. */
public final class LocalPorts {
  /** The only address the embedded servers bind to. */
  public static final String HOST = "127.0.0.1";

  private LocalPorts() {}

  /**
   * Returns {@code port} if it is non-zero, else a port that was free on 127.0.0.1 a moment ago.
   * Servers that must know their port before binding (the KRaft quorum voters, a restart on the
   * same port) use this; the small race with other processes is acceptable on a dev machine.
   */
  public static int resolve(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, got " + port);
    }
    if (port != 0) {
      return port;
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }

  /** True if something accepts TCP connections on 127.0.0.1:{@code port} within 500 ms. */
  public static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
