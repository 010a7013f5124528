package io.renderrelay.serde;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** TEMP stand-in (the serde helper writes the real one). */
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
}
