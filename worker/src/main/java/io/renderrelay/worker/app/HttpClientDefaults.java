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
 * requests/s at 60 ms each, and a burst beyond them opens connections it closes afterwards. Over
 * HTTP/2 (the gateway over https) one connection carries every request and the bound is moot.
 */
public final class HttpClientDefaults {

  static final String POOL_SIZE = "jdk.httpclient.connectionPoolSize";

  /** Idle HTTP/1.1 connections kept per JVM unless {@value #POOL_SIZE} is given. */
  static final int IDLE_CONNECTIONS = 64;

  private HttpClientDefaults() {}

  /** Sets the defaults in {@code system} (the JVM's properties) where nothing was given. */
  public static void apply(Properties system) {
    if (system.getProperty(POOL_SIZE) == null) {
      system.setProperty(POOL_SIZE, Integer.toString(IDLE_CONNECTIONS));
    }
  }
}
