package io.renderrelay.serde;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of {@link HttpSchemaRegistryClient}. Credentials never appear in {@link #toString()}.
 *
 * @param baseUrls registry base URLs; requests start at a rotating one and fail over to the next
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth
 * @param bearerToken static bearer token (used when no basic auth is set)
 * @param requestTimeout timeout of one HTTP request (also the connect timeout)
 * @param maxRetries retries after the first attempt on connect errors, timeouts and 5xx
 * @param retryBackoff backoff before the first retry, doubled per retry (capped at 5 s)
 * @param cacheCapacity capacity of each cache (id to schema, subject and schema to id)
 */
public record RegistryClientConfig(
    List<URI> baseUrls,
    Optional<String> basicAuthUserInfo,
    Optional<String> bearerToken,
    Duration requestTimeout,
    int maxRetries,
    Duration retryBackoff,
    int cacheCapacity) {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  static final int DEFAULT_RETRIES = 3;
  static final Duration DEFAULT_BACKOFF = Duration.ofMillis(100);
  static final int DEFAULT_CACHE_CAPACITY = 1000;

  /** Validates and copies the arguments. */
  public RegistryClientConfig {
    if (baseUrls == null || baseUrls.isEmpty()) {
      throw new IllegalArgumentException("At least one schema registry URL is required");
    }
    baseUrls = baseUrls.stream().map(RegistryClientConfig::normalize).toList();
    basicAuthUserInfo = basicAuthUserInfo == null ? Optional.empty() : basicAuthUserInfo;
    bearerToken = bearerToken == null ? Optional.empty() : bearerToken;
    if (basicAuthUserInfo.isPresent() && basicAuthUserInfo.get().indexOf(':') < 0) {
      throw new IllegalArgumentException("basic.auth.user.info must have the form user:password");
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    if (retryBackoff == null || retryBackoff.isNegative()) {
      throw new IllegalArgumentException("retryBackoff must be >= 0");
    }
    if (cacheCapacity < 1) {
      throw new IllegalArgumentException("cacheCapacity must be >= 1, got " + cacheCapacity);
    }
  }

  /** Config for comma-separated URLs with default timeout, retries, backoff and cache size. */
  public static RegistryClientConfig of(String commaSeparatedUrls) {
    return new RegistryClientConfig(
        parseUrls(commaSeparatedUrls),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_TIMEOUT,
        DEFAULT_RETRIES,
        DEFAULT_BACKOFF,
        DEFAULT_CACHE_CAPACITY);
  }

  /** Returns a copy with basic auth credentials {@code user:password}. */
  public RegistryClientConfig withBasicAuth(String userInfo) {
    return new RegistryClientConfig(
        baseUrls,
        Optional.of(userInfo),
        bearerToken,
        requestTimeout,
        maxRetries,
        retryBackoff,
        cacheCapacity);
  }

  /** Returns a copy with a bearer token. */
  public RegistryClientConfig withBearerToken(String token) {
    return new RegistryClientConfig(
        baseUrls,
        basicAuthUserInfo,
        Optional.of(token),
        requestTimeout,
        maxRetries,
        retryBackoff,
        cacheCapacity);
  }

  /** Returns a copy with other timeout and retry settings. */
  public RegistryClientConfig withRetries(Duration timeout, int retries, Duration backoff) {
    return new RegistryClientConfig(
        baseUrls, basicAuthUserInfo, bearerToken, timeout, retries, backoff, cacheCapacity);
  }

  /** Reads a Kafka-style config map using the keys of {@link SerdeConfig}. */
  public static RegistryClientConfig fromMap(Map<String, ?> configs) {
    Object urls = configs.get(SerdeConfig.SCHEMA_REGISTRY_URL);
    if (urls == null) {
      throw new IllegalArgumentException(SerdeConfig.SCHEMA_REGISTRY_URL + " is required");
    }
    List<URI> baseUrls =
        parseUrls(
            urls instanceof Collection<?> c
                ? String.join(",", c.stream().map(String::valueOf).toList())
                : String.valueOf(urls));
    String source = string(configs, SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
    Optional<String> userInfo =
        switch (source.trim().toUpperCase(Locale.ROOT)) {
          case "USER_INFO" ->
              Optional.ofNullable(string(configs, SerdeConfig.BASIC_AUTH_USER_INFO, null))
                  .filter(s -> !s.isBlank());
          case "URL" ->
              baseUrls.stream()
                  .map(URI::getUserInfo)
                  .filter(u -> u != null && !u.isBlank())
                  .findFirst();
          default ->
              throw new IllegalArgumentException(
                  "Unsupported "
                      + SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE
                      + " '"
                      + source
                      + "': use USER_INFO or URL");
        };
    Optional<String> token =
        Optional.ofNullable(string(configs, SerdeConfig.BEARER_AUTH_TOKEN, null))
            .filter(s -> !s.isBlank());
    return new RegistryClientConfig(
        baseUrls,
        userInfo,
        token,
        Duration.ofMillis(
            number(configs, SerdeConfig.REQUEST_TIMEOUT_MS, DEFAULT_TIMEOUT.toMillis())),
        (int) number(configs, SerdeConfig.MAX_RETRIES, DEFAULT_RETRIES),
        Duration.ofMillis(
            number(configs, SerdeConfig.RETRY_BACKOFF_MS, DEFAULT_BACKOFF.toMillis())),
        (int) number(configs, SerdeConfig.MAX_SCHEMAS_PER_SUBJECT, DEFAULT_CACHE_CAPACITY));
  }

  @Override
  public String toString() {
    return "RegistryClientConfig[baseUrls="
        + baseUrls
        + ", basicAuth="
        + (basicAuthUserInfo.isPresent() ? "<set>" : "<none>")
        + ", bearerToken="
        + (bearerToken.isPresent() ? "<set>" : "<none>")
        + ", requestTimeout="
        + requestTimeout
        + ", maxRetries="
        + maxRetries
        + ", retryBackoff="
        + retryBackoff
        + ", cacheCapacity="
        + cacheCapacity
        + "]";
  }

  private static List<URI> parseUrls(String commaSeparated) {
    List<URI> out = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      if (!part.isBlank()) {
        out.add(URI.create(part.trim()));
      }
    }
    return out;
  }

  /** Drops user info (credentials travel in headers only), query and trailing slash. */
  private static URI normalize(URI uri) {
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "Schema registry URL must be http(s)://host[:port][/path], got " + redact(uri));
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return URI.create(scheme + "://" + uri.getHost() + port + path);
  }

  private static String redact(URI uri) {
    return uri.getRawUserInfo() == null
        ? uri.toString()
        : uri.toString().replace(uri.getRawUserInfo() + "@", "<redacted>@");
  }

  private static String string(Map<String, ?> configs, String key, String dflt) {
    Object v = configs.get(key);
    return v == null ? dflt : String.valueOf(v);
  }

  private static long number(Map<String, ?> configs, String key, long dflt) {
    Object v = configs.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + v + "'", e);
    }
  }
}
