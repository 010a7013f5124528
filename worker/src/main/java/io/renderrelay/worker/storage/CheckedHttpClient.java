package io.renderrelay.worker.storage;

import java.io.IOException;
import java.util.Optional;
import org.apache.http.client.config.CookieSpecs;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client of a {@link SafeDownloader}: it connects only to addresses the policy accepted,
 * follows no redirect, sends no cookie and retries nothing, so every hop is the downloader's
 * decision.
 *
 * <p><b>How the checked address is the connected address.</b> {@code java.net.http} resolves names
 * internally and offers no hook, so a check-then-connect there is open to DNS rebinding (the name
 * may resolve to a public address for the check and a private one for the connect). This class uses
 * Apache HttpClient 4.5 (already on the classpath through the SDK's apache-client) with a custom
 * {@link org.apache.http.conn.DnsResolver}: the connection operator asks that resolver for the
 * addresses and connects only to the array it returns. Our resolver ({@link CheckingDnsResolver})
 * resolves the name itself and refuses the host if any address is refused, so there is one
 * resolution per connection and it is the checked one. TLS still uses the URL's host name for SNI
 * and hostname verification, so pinning the address does not weaken certificate checks. No proxy is
 * used (the builder does not read system properties), so no other party resolves the name for us.
 */
final class CheckedHttpClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CheckedHttpClient.class);

  private final CloseableHttpClient http;

  CheckedHttpClient(OutputUrlPolicy policy, SafeDownloader.Limits limits, HostResolver resolver) {
    var sockets =
        RegistryBuilder.<ConnectionSocketFactory>create()
            .register("http", PlainConnectionSocketFactory.getSocketFactory())
            .register("https", SSLConnectionSocketFactory.getSystemSocketFactory())
            .build();
    var connections =
        new PoolingHttpClientConnectionManager(
            sockets, null, new CheckingDnsResolver(resolver, policy));
    connections.setMaxTotal(limits.maxConnections());
    connections.setDefaultMaxPerRoute(limits.maxConnections());
    int connect = (int) limits.connectTimeout().toMillis();
    RequestConfig config =
        RequestConfig.custom()
            .setConnectTimeout(connect)
            .setConnectionRequestTimeout(connect)
            .setSocketTimeout((int) limits.readTimeout().toMillis())
            .setRedirectsEnabled(false)
            .setCookieSpec(CookieSpecs.IGNORE_COOKIES)
            .setContentCompressionEnabled(false)
            .build();
    this.http =
        HttpClients.custom()
            .setConnectionManager(connections)
            .setDefaultRequestConfig(config)
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableContentCompression()
            .disableCookieManagement()
            .disableAuthCaching()
            .setUserAgent("render-relay-worker")
            .build();
  }

  /**
   * Sends {@code get}: a refused address is Rejected, any other I/O failure Retryable. Messages
   * name {@code host} only (output URLs are signed; their query strings are secrets).
   */
  CloseableHttpResponse execute(HttpGet get, String host) throws CopyException {
    try {
      return http.execute(get);
    } catch (IOException e) {
      Optional<String> refused = refusal(e);
      if (refused.isPresent()) {
        throw new CopyException.Rejected(refused.get());
      }
      throw new CopyException.Retryable(
          "download from "
              + host
              + " failed: "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static Optional<String> refusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CheckingDnsResolver.RefusedAddressException r) {
        return Optional.of(r.getMessage());
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    try {
      http.close();
    } catch (IOException e) {
      log.debug("closing the output HTTP client failed", e);
    }
  }
}
