package io.renderrelay.worker.storage;

import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a provider output URL as a size-limited stream, refusing anything that could turn the
 * worker into a proxy into its own network (SSRF).
 *
 * <p>The connection goes only to the address that was checked ({@link CheckedHttpClient} tells
 * how), so DNS rebinding cannot slip a private address past the check.
 *
 * <p><b>Rules.</b> https only unless dev mode; host in the allow-list; every resolved address
 * public (dev mode: anything but cloud metadata); redirects (301/302/303/307/308) followed by hand,
 * at most {@code maxRedirects}, each hop checked by the same rules; Content-Length above the
 * maximum refused before any body byte is read, and the body stream fails once it passes the
 * maximum. Status mapping: 200 opens; 403/404/410 Expired; 408/429 and 5xx Retryable; other
 * statuses Rejected; I/O errors Retryable. Messages name the host only: output URLs are signed and
 * their query strings are secrets.
 */
public final class SafeDownloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SafeDownloader.class);

  /** Pool size when the copy concurrency is not given. */
  static final int DEFAULT_CONNECTIONS = 16;

  /**
   * Download limits.
   *
   * @param maxBytes largest accepted output
   * @param connectTimeout TCP (and TLS) connect timeout
   * @param readTimeout longest wait for any byte (socket idle timeout)
   * @param maxRedirects redirect hops followed before refusing
   * @param maxConnections connection pool size, per host and in all (the copy concurrency)
   */
  public record Limits(
      long maxBytes,
      Duration connectTimeout,
      Duration readTimeout,
      int maxRedirects,
      int maxConnections) {
    public Limits {
      if (maxBytes <= 0 || maxRedirects < 0 || maxConnections < 1) {
        throw new IllegalArgumentException(
            "maxBytes and maxConnections must be > 0 and maxRedirects >= 0");
      }
    }

    /** The same limits with a pool sized for {@code connections} concurrent downloads. */
    public Limits withMaxConnections(int connections) {
      return new Limits(maxBytes, connectTimeout, readTimeout, maxRedirects, connections);
    }

    /** From settings: downloadTimeout is the read (idle) timeout; connect is at most 10 s. */
    public static Limits from(StorageSettings s) {
      Duration read = s.downloadTimeout();
      Duration connect = read.compareTo(Duration.ofSeconds(10)) < 0 ? read : Duration.ofSeconds(10);
      return new Limits(s.maxOutputBytes(), connect, read, 3, DEFAULT_CONNECTIONS);
    }
  }

  private final OutputUrlPolicy policy;
  private final Limits limits;
  private final CheckedHttpClient http;

  public SafeDownloader(OutputUrlPolicy policy, Limits limits) {
    this(policy, limits, HostResolver.system());
  }

  /** With an injected resolver (tests map names to addresses without DNS). */
  public SafeDownloader(OutputUrlPolicy policy, Limits limits, HostResolver resolver) {
    this.policy = policy;
    this.limits = limits;
    this.http = new CheckedHttpClient(policy, limits, resolver);
  }

  public static SafeDownloader fromSettings(StorageSettings settings) {
    return new SafeDownloader(OutputUrlPolicy.from(settings), Limits.from(settings));
  }

  /** From settings, with a pool for {@code connections} concurrent downloads. */
  public static SafeDownloader fromSettings(StorageSettings settings, int connections) {
    return new SafeDownloader(
        OutputUrlPolicy.from(settings), Limits.from(settings).withMaxConnections(connections));
  }

  public long maxBytes() {
    return limits.maxBytes();
  }

  /** Opens the output; the caller reads the body and closes the result. */
  public Download open(URI source) throws CopyException {
    return fetch(source, null, -1);
  }

  /**
   * Opens bytes {@code first..last} (inclusive) of {@code source} with a ranged GET, under the same
   * rules as {@link #open}. A server that honours the range answers 206 ({@link Download#partial()}
   * true, {@link Download#totalLength()} from Content-Range); one that ignores it answers 200 with
   * the whole body, of which the caller reads what it needs and closes. 416 (the range starts past
   * the end) is Rejected. A 206 whose Content-Range starts elsewhere than {@code first} is
   * Retryable: its bytes are not the ones asked for, and reading them as such would misjudge the
   * file.
   */
  public Download openRange(URI source, long first, long last) throws CopyException {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("bad byte range " + first + "-" + last);
    }
    return fetch(source, "bytes=" + first + "-" + last, first);
  }

  private Download fetch(URI source, String range, long first) throws CopyException {
    URI current = source;
    for (int hop = 0; ; hop++) {
      policy.checkUrl(current);
      String host = HostAllowList.normalize(current.getHost());
      HttpGet get = new HttpGet(current);
      if (range != null) {
        get.setHeader("Range", range);
      }
      CloseableHttpResponse response = http.execute(get, host);
      int status = response.getStatusLine().getStatusCode();
      if (isRedirect(status)) {
        Header location = response.getFirstHeader("Location");
        discard(get, response);
        if (hop >= limits.maxRedirects()) {
          throw new CopyException.Rejected(
              "output URL redirected more than "
                  + limits.maxRedirects()
                  + " times (at "
                  + host
                  + ")");
        }
        current = nextHop(current, location, host);
        log.debug("output redirect {} from {} to {}", status, host, current.getHost());
        continue;
      }
      if (status == 206 && range != null && !startsAt(response, first)) {
        discard(get, response);
        throw new CopyException.Retryable(
            "input at " + host + " answered a range that does not start at byte " + first, null);
      }
      if (status == 200 || (status == 206 && range != null)) {
        return opened(get, response, host);
      }
      discard(get, response);
      throw statusError(status, host);
    }
  }

  private static boolean startsAt(CloseableHttpResponse response, long first) {
    return Download.rangeFirst(
            Optional.ofNullable(response.getFirstHeader("Content-Range")).map(Header::getValue))
        .equals(OptionalLong.of(first));
  }

  private Download opened(HttpGet get, CloseableHttpResponse response, String host)
      throws CopyException {
    HttpEntity entity = response.getEntity();
    long length = entity == null ? 0 : entity.getContentLength();
    if (length > limits.maxBytes()) {
      discard(get, response);
      throw new CopyException.Rejected(
          "output at "
              + host
              + " announces "
              + length
              + " bytes, more than the limit of "
              + limits.maxBytes());
    }
    Optional<String> type =
        Optional.ofNullable(response.getFirstHeader("Content-Type")).map(Header::getValue);
    boolean partial = response.getStatusLine().getStatusCode() == 206;
    try {
      InputStream raw = entity == null ? InputStream.nullInputStream() : entity.getContent();
      OptionalLong announced = length >= 0 ? OptionalLong.of(length) : OptionalLong.empty();
      OptionalLong total =
          partial
              ? Download.rangeTotal(
                  Optional.ofNullable(response.getFirstHeader("Content-Range"))
                      .map(Header::getValue))
              : announced;
      return new Download(
          get, response, raw, limits.maxBytes(), announced, type, host, partial, total);
    } catch (IOException e) {
      discard(get, response);
      throw new CopyException.Retryable("download from " + host + " failed: " + e.getMessage(), e);
    }
  }

  private static URI nextHop(URI current, Header location, String host)
      throws CopyException.Rejected {
    if (location == null || location.getValue().isBlank()) {
      throw new CopyException.Rejected("output redirect from " + host + " has no Location");
    }
    try {
      return current.resolve(new URI(location.getValue().strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new CopyException.Rejected(
          "output redirect from " + host + " has a malformed Location");
    }
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** Sorts a non-200 final status. */
  static CopyException statusError(int status, String host) {
    String what = "output download from " + host + " answered HTTP " + status;
    if (status == 403 || status == 404 || status == 410) {
      return new CopyException.Expired(what + ": the output is gone or its link expired");
    }
    if (status == 408 || status == 429 || status >= 500) {
      return new CopyException.Retryable(what, null);
    }
    return new CopyException.Rejected(what);
  }

  private static void discard(HttpGet get, CloseableHttpResponse response) {
    get.abort();
    try {
      response.close();
    } catch (IOException e) {
      // aborted anyway
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
