package io.renderrelay.client;

import io.renderrelay.serde.SerdeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the schema registry is and how to authenticate to it. {@link #toString()} never shows the
 * credentials.
 *
 * @param url one or more comma-separated registry base URLs
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth (secret)
 * @param bearerToken bearer token (secret)
 */
public record RegistrySettings(
    String url, Optional<String> basicAuthUserInfo, Optional<String> bearerToken) {

  /** Checks the components. */
  public RegistrySettings {
    Objects.requireNonNull(url, "registry url");
    if (url.isBlank()) {
      throw new IllegalArgumentException("the schema registry url must not be blank");
    }
    Objects.requireNonNull(basicAuthUserInfo, "basicAuthUserInfo");
    Objects.requireNonNull(bearerToken, "bearerToken");
    if (basicAuthUserInfo.isPresent() && bearerToken.isPresent()) {
      throw new IllegalArgumentException("use basic auth or a bearer token, not both");
    }
  }

  /** A registry without authentication. */
  public static RegistrySettings of(String url) {
    return new RegistrySettings(url, Optional.empty(), Optional.empty());
  }

  /** The settings as serde configuration entries ({@link SerdeConfig} keys). */
  public Map<String, Object> toSerdeConfig() {
    Map<String, Object> m = new HashMap<>();
    m.put(SerdeConfig.SCHEMA_REGISTRY_URL, url);
    basicAuthUserInfo.ifPresent(v -> m.put(SerdeConfig.BASIC_AUTH_USER_INFO, v));
    bearerToken.ifPresent(v -> m.put(SerdeConfig.BEARER_AUTH_TOKEN, v));
    return m;
  }

  @Override
  public String toString() {
    String auth =
        basicAuthUserInfo.isPresent()
            ? "basic(***)"
            : bearerToken.isPresent() ? "bearer(***)" : "none";
    return "RegistrySettings[url=" + Redact.urls(url) + ", auth=" + auth + "]";
  }
}
