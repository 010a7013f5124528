package io.renderrelay.worker.app;

import java.util.Properties;

/**
 * JVM-wide defaults for the JDK's HTTP client (the provider client's), applied by {@link Main} (and
 * by the benchmarks, which run workers in their own JVM) before the first client is built, unless
 * given with {@code -D}.
 *
 * <p>{@code jdk.httpclient.connectionPoolSize}: the JDK keeps every idle HTTP/1.1 connection for
 * its keep-alive time (30 s) and by default without a bound. Against a provider that answers over
 * HTTP/1.1, a burst of submits (the in-flight bench publishes 10,000 commands at 1,000 submits/s)
 * left 465 idle connections and their buffers on the heap; 64 idle connections serve a steady 1,000
 * requests/s at 60 ms each, and a burst beyond them opens connections it closes afterwards. The
 * bound holds per client (each JDK client in the process has its own pool: the provider's, the
 * schema registry's, the job-lookup forwarder's, the OTLP exporter's). Over HTTP/2 (the gateway
 * over https) one connection carries every request and the bound is moot. A given value the JDK
 * cannot read (it would silently keep every idle connection) is refused.
 */
public final class HttpClientDefaults {

  static final String POOL_SIZE = "jdk.httpclient.connectionPoolSize";

  /** Idle HTTP/1.1 connections kept per JDK client unless {@value #POOL_SIZE} is given. */
  static final int IDLE_CONNECTIONS = 64;

  private HttpClientDefaults() {}

  /**
   * Sets the defaults in {@code system} (the JVM's properties) where nothing was given.
   *
   * @throws IllegalArgumentException when a given value is one the JDK would ignore
   */
  public static void apply(Properties system) {
    String given = system.getProperty(POOL_SIZE);
    if (given == null) {
      system.setProperty(POOL_SIZE, Integer.toString(IDLE_CONNECTIONS));
    } else if (!readByJdk(given)) {
      throw new IllegalArgumentException(
          "-D"
              + POOL_SIZE
              + "="
              + given
              + ": not a whole number >= 0 (the JDK would ignore it and keep every idle"
              + " connection; 0 removes the bound)");
    }
  }

  /** Whether the JDK reads {@code value} as a bound or as 0 (it parses with Integer.decode). */
  private static boolean readByJdk(String value) {
    try {
      return Integer.decode(value) >= 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
