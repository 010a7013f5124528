package io.renderrelay.worker.config;

import static io.renderrelay.worker.config.ConfigKey.key;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Keys of the worker's two HTTP listeners. {@link ConfigKeys#ALL} lists them with the others, in
 * docs order.
 */
public final class HttpKeys {
  private HttpKeys() {}

  // ---- http
  public static final ConfigKey<String> HTTP_BIND_ADDRESS =
      key("http.bind-address", ValueType.STRING)
          .group("http")
          .defaultValue("0.0.0.0")
          .validator(Validator.nonBlank())
          .doc("Address the callback and the management listeners bind.")
          .build();
  public static final ConfigKey<Integer> HTTP_PORT =
      key("http.port", ValueType.INT)
          .group("http")
          .defaultValue("8080")
          .validator(Validator.intRange(0, 65_535))
          .doc(
              "Public port: provider callbacks (POST /callbacks/{jobId}/{token}) only; 0 picks a"
                  + " free one.")
          .build();
  public static final ConfigKey<Integer> HTTP_MANAGEMENT_PORT =
      key("http.management-port", ValueType.INT)
          .group("http")
          .defaultValue("9090")
          .validator(Validator.intRange(0, 65_535))
          .doc(
              "Management port: /health/live, /health/ready and /metrics, apart from the public"
                  + " callback port; 0 picks a free one.")
          .build();
  public static final ConfigKey<URI> HTTP_ADVERTISED_URL =
      key("http.advertised-url", ValueType.URL)
          .group("http")
          .defaultValue("")
          .blankMeansUnset()
          .validator(Validator.httpUrl())
          .doc(
              "Base URL other replicas reach this one's management listener at (GET"
                  + " /jobs/{jobId} is forwarded there when this replica owns the job), e.g."
                  + " http://10.1.2.3:9090 (the Helm chart sets the pod IP). Blank: http://"
                  + " + this host's address + the management port.")
          .build();
  public static final ConfigKey<Duration> HTTP_REQUEST_TIMEOUT =
      key("http.request-timeout", ValueType.DURATION)
          .group("http")
          .defaultValue("10s")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofMinutes(5)))
          .doc(
              "Longest time a client may take to send a request's headers and body, and to take"
                  + " its response; the connection is closed after it (whole seconds; a slow"
                  + " client cannot hold a connection).")
          .build();
  public static final ConfigKey<Duration> HTTP_IDLE_TIMEOUT =
      key("http.idle-timeout", ValueType.DURATION)
          .group("http")
          .defaultValue("30s")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofMinutes(10)))
          .doc("An idle keep-alive connection is closed after this (whole seconds).")
          .build();
  public static final ConfigKey<Integer> HTTP_MAX_CONNECTIONS =
      key("http.max-connections", ValueType.INT)
          .group("http")
          .defaultValue("256")
          .validator(Validator.intRange(1, 100_000))
          .doc(
              "Open connections each listener keeps; a connection above it is closed at once (a"
                  + " flood cannot exhaust the worker's sockets or threads).")
          .build();
  public static final ConfigKey<Long> HTTP_MAX_CALLBACK_BYTES =
      key("http.max-callback-bytes", ValueType.SIZE)
          .group("http")
          .defaultValue("64KiB")
          .validator(Validator.sizeRange(1024, 16L << 20))
          .doc("Largest callback body accepted (413 above).")
          .build();
  public static final ConfigKey<Double> HTTP_CALLBACKS_PER_SECOND =
      key("http.callbacks-per-second", ValueType.DOUBLE)
          .group("http")
          .defaultValue("50")
          .validator(Validator.doubleRange(0.1, 100_000))
          .doc("Process-wide callback rate limit (429 above).")
          .build();

  /** This class's keys, in docs order. */
  static final List<ConfigKey<?>> KEYS =
      List.of(
          HTTP_BIND_ADDRESS,
          HTTP_PORT,
          HTTP_MANAGEMENT_PORT,
          HTTP_ADVERTISED_URL,
          HTTP_REQUEST_TIMEOUT,
          HTTP_IDLE_TIMEOUT,
          HTTP_MAX_CONNECTIONS,
          HTTP_MAX_CALLBACK_BYTES,
          HTTP_CALLBACKS_PER_SECOND);
}
