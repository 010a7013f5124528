package io.renderrelay.serde;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** TEMP stand-in: the real registry client configuration lands from the serde branch. */
public record RegistryClientConfig(
    List<URI> baseUrls,
    Optional<String> basicAuthUserInfo,
    Optional<String> bearerToken,
    Duration requestTimeout,
    int maxRetries,
    Duration retryBackoff,
    int cacheCapacity) {
  public static RegistryClientConfig of(String urls) {
    throw new UnsupportedOperationException("TEMP serde stand-in");
  }

  public static RegistryClientConfig fromMap(Map<String, ?> configs) {
    throw new UnsupportedOperationException("TEMP serde stand-in");
  }
}
