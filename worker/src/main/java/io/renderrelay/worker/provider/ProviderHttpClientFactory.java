package io.renderrelay.worker.provider;

import io.renderrelay.worker.config.WorkerConfig.ProviderSettings;
import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The one place the provider's {@link HttpClient} is built: connect timeout, HTTP/2 with fallback
 * to HTTP/1.1, the JDK's default TLS trust and hostname verification (never a trust-all manager),
 * and redirects never followed (an API call that redirects is a misconfiguration, and following one
 * could carry the key elsewhere).
 */
public final class ProviderHttpClientFactory {

  /** A client for {@code settings}; close it when the process stops. */
  public HttpClient create(ProviderSettings settings) {
    return create(settings.connectTimeout(), null);
  }

  /**
   * A client with {@code connectTimeout}, running its async work on {@code executor} (null: the
   * client's default).
   */
  public HttpClient create(Duration connectTimeout, Executor executor) {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (!connectTimeout.isPositive()) {
      throw new IllegalArgumentException("connect timeout must be positive: " + connectTimeout);
    }
    SSLContext tls = defaultTls();
    SSLParameters parameters = tls.getDefaultSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .version(HttpClient.Version.HTTP_2)
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(tls)
            .sslParameters(parameters);
    if (executor != null) {
      builder.executor(executor);
    }
    return builder.build();
  }

  private static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK offers no default TLS context", e);
    }
  }
}
