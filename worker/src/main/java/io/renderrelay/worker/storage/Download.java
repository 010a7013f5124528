package io.renderrelay.worker.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;

/**
 * One open output download (status 200, every redirect hop checked). Read {@link #body()} to the
 * end, then close. Closing before the end aborts the connection instead of draining it, so an
 * oversize or unwanted body is never read further.
 */
public final class Download implements AutoCloseable {
  private final HttpGet request;
  private final CloseableHttpResponse response;
  private final LimitedInputStream body;
  private final OptionalLong contentLength;
  private final Optional<String> contentType;
  private final String host;
  private final boolean partial;
  private final OptionalLong totalLength;

  Download(
      HttpGet request,
      CloseableHttpResponse response,
      InputStream raw,
      long maxBytes,
      OptionalLong contentLength,
      Optional<String> contentType,
      String host,
      boolean partial,
      OptionalLong totalLength) {
    this.request = request;
    this.response = response;
    this.body = new LimitedInputStream(raw, maxBytes);
    this.contentLength = contentLength;
    this.contentType = contentType;
    this.host = host;
    this.partial = partial;
    this.totalLength = totalLength;
  }

  /** True for a 206 answer to a ranged GET: the body is the requested range only. */
  public boolean partial() {
    return partial;
  }

  /**
   * The whole resource's length: from Content-Range ({@code bytes a-b/total}) on a 206, else the
   * Content-Length; empty when the server did not say ({@code /*} or no header).
   */
  public OptionalLong totalLength() {
    return totalLength;
  }

  /** The total of a {@code Content-Range: bytes a-b/total} value; empty when absent or unknown. */
  static OptionalLong rangeTotal(Optional<String> contentRange) {
    if (contentRange.isEmpty()) {
      return OptionalLong.empty();
    }
    String v = contentRange.get().strip();
    int slash = v.lastIndexOf('/');
    if (!v.regionMatches(true, 0, "bytes ", 0, 6) || slash < 0) {
      return OptionalLong.empty();
    }
    try {
      long total = Long.parseLong(v.substring(slash + 1).strip());
      return total >= 0 ? OptionalLong.of(total) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The first byte of a {@code Content-Range: bytes a-b/total} value; empty when absent or bad. */
  static OptionalLong rangeFirst(Optional<String> contentRange) {
    if (contentRange.isEmpty()) {
      return OptionalLong.empty();
    }
    String v = contentRange.get().strip();
    int dash = v.indexOf('-');
    if (!v.regionMatches(true, 0, "bytes ", 0, 6) || dash < 6) {
      return OptionalLong.empty();
    }
    try {
      long first = Long.parseLong(v.substring(6, dash).strip());
      return first >= 0 ? OptionalLong.of(first) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The body, limited to the configured maximum (OutputTooLargeException beyond it). */
  public InputStream body() {
    return body;
  }

  /** The announced Content-Length, if any. */
  public OptionalLong contentLength() {
    return contentLength;
  }

  /** The announced Content-Type, if any. */
  public Optional<String> contentType() {
    return contentType;
  }

  /** The host that finally served the body (after redirects); safe to log, unlike the URL. */
  public String host() {
    return host;
  }

  /** Bytes read from the body so far. */
  public long bytesRead() {
    return body.count();
  }

  @Override
  public void close() {
    if (!body.reachedEof()) {
      request.abort();
    }
    try {
      response.close();
    } catch (IOException e) {
      // The connection is discarded either way; nothing left to release.
    }
  }
}
