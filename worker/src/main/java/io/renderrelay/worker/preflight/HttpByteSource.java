package io.renderrelay.worker.preflight;

import io.renderrelay.worker.storage.CopyException;
import io.renderrelay.worker.storage.Download;
import io.renderrelay.worker.storage.SafeDownloader;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One input URL read with ranged GETs through the worker's {@link SafeDownloader} (the same SSRF
 * rules as output copies: scheme, resolved addresses, redirect hops). The first request fetches the
 * head and learns the type, the total length and whether the server honours ranges; later reads
 * inside the head are served from it. At most {@code budget} bytes and {@link #MAX_REQUESTS}
 * requests per input: past either, a read is undecided, never a failure of the job. Each GET's body
 * is read within {@code perRequest} (plus one idle read): the socket timeout alone bounds only the
 * wait for each byte, so a host trickling a byte now and then would hold the check for hours.
 */
final class HttpByteSource implements ByteSource {

  static final int MAX_REQUESTS = 16;

  private final SafeDownloader downloader;
  private final URI url;
  private final long budget;
  private final Duration perRequest;
  private byte[] head = new byte[0];
  private boolean ranges;
  private OptionalLong total = OptionalLong.empty();
  private Optional<String> contentType = Optional.empty();
  private String host = "";
  private long spent;
  private int requests;

  HttpByteSource(SafeDownloader downloader, URI url, long budget, Duration perRequest) {
    this.downloader = downloader;
    this.url = url;
    this.budget = budget;
    this.perRequest = perRequest;
  }

  /** Fetches the first {@code n} bytes (fewer for a shorter file) and the answer's headers. */
  byte[] open(int n) throws CopyException {
    requests++;
    try (Download d = downloader.openRange(url, 0, n - 1L)) {
      host = d.host();
      ranges = d.partial();
      total = d.totalLength();
      contentType = d.contentType();
      head = readUpTo(d, n);
      spent += head.length;
      if (total.isEmpty() && head.length < n) {
        total = OptionalLong.of(head.length); // the body ended before n bytes: the whole file
      }
      return head;
    }
  }

  @Override
  public byte[] read(long offset, int length) throws HeaderException, CopyException {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative offset or length");
    }
    // a box size from the file can put the offset near Long.MAX_VALUE: saturate, never wrap
    long end = offset > Long.MAX_VALUE - length ? Long.MAX_VALUE : offset + length;
    if (end <= head.length || wholeFileInHead()) {
      int from = (int) Math.min(offset, head.length);
      return Arrays.copyOfRange(head, from, (int) Math.min(end, head.length));
    }
    if (total.isPresent() && offset >= total.getAsLong()) {
      return new byte[0];
    }
    if (!ranges) {
      throw HeaderException.undecided(
          "the server at " + host + " does not answer ranged GETs, so the header is not read");
    }
    if (spent + length > budget || requests >= MAX_REQUESTS) {
      throw HeaderException.undecided(
          "the header is not within the "
              + budget
              + " bytes and "
              + MAX_REQUESTS
              + " requests the check reads");
    }
    requests++;
    try (Download d = downloader.openRange(url, offset, end - 1)) {
      if (!d.partial()) {
        throw HeaderException.undecided("the server at " + host + " stopped answering ranges");
      }
      byte[] got = readUpTo(d, length);
      spent += got.length;
      return got;
    }
  }

  /** True when the whole file is in the head already. */
  boolean wholeFileInHead() {
    return total.isPresent() && total.getAsLong() <= head.length;
  }

  OptionalLong totalLength() {
    return total;
  }

  Optional<String> contentType() {
    return contentType;
  }

  String host() {
    return host;
  }

  /** Up to {@code n} bytes of the body (fewer where it ends), read within {@code perRequest}. */
  private byte[] readUpTo(Download d, int n) throws CopyException {
    long deadline = System.nanoTime() + perRequest.toNanos();
    byte[] buf = new byte[n];
    int got = 0;
    try {
      while (got < n) {
        int r = d.body().read(buf, got, n - got);
        if (r < 0) {
          return Arrays.copyOf(buf, got);
        }
        got += r;
        if (got < n && System.nanoTime() - deadline > 0) {
          throw new CopyException.Retryable(
              "input download from "
                  + d.host()
                  + " sent "
                  + got
                  + " bytes in "
                  + perRequest
                  + ", too slow to check",
              null);
        }
      }
      return buf;
    } catch (IOException e) {
      throw new CopyException.Retryable(
          "input download from " + d.host() + " failed: " + e.getClass().getSimpleName(), e);
    }
  }
}
