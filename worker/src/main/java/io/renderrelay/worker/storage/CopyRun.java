package io.renderrelay.worker.storage;

import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.NonRetryableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * One attempt of {@link S3StreamingCopier}: the existing-object check, then one streaming PUT
 * (length known and within the single-PUT limit) or a multipart upload, all writes conditional.
 */
final class CopyRun {
  private static final Logger log = LoggerFactory.getLogger(CopyRun.class);
  private static final int SCRATCH = 64 * 1024;

  /**
   * Outputs of at most this many bytes (posters, last frames) are read whole and PUT with their
   * CRC32C in a header. A streaming PUT sends its CRC32C as a trailer in aws-chunked encoding (over
   * http every chunk signed), which S3-compatible stores decode far more slowly than a plain body:
   * in the throughput bench it made each 64 KiB copy several times slower than a bare PUT. The
   * buffer stays within the heap budget of one streaming copy ({@link
   * BoundedCopier#STREAMING_COPY_BYTES}), whose SDK chunk buffer it replaces.
   */
  static final int SMALL_PUT_MAX_BYTES = 128 * 1024;

  private final S3Client s3;
  private final S3Client plainPayload;
  private final SafeDownloader downloader;
  private final S3StreamingCopier.Options options;
  private final URI source;
  private final String key;
  private final String requestedType;
  private final java.util.concurrent.Semaphore partBuffers;
  private PartReader reader;
  private boolean alreadyPresent;

  CopyRun(
      S3Clients clients,
      SafeDownloader downloader,
      S3StreamingCopier.Options options,
      URI source,
      String key,
      String requestedType,
      java.util.concurrent.Semaphore partBuffers) {
    this.partBuffers = partBuffers;
    this.s3 = clients.s3();
    this.plainPayload = clients.plainPayload();
    this.downloader = downloader;
    this.options = options;
    this.source = source;
    this.key = key;
    this.requestedType = requestedType;
  }

  long bytesRead() {
    return reader == null ? 0 : reader.digests().total();
  }

  boolean alreadyPresent() {
    return alreadyPresent;
  }

  CopiedObject execute(PriorCopies prior) throws CopyException {
    try {
      KeyLayout.requireSafeKey(key);
    } catch (IllegalArgumentException e) {
      throw new CopyException.Rejected("refusing S3 key: " + e.getMessage());
    }
    if (prior == PriorCopies.POSSIBLE) {
      Optional<ExistingObject> existing = ExistingObject.head(s3, options.bucket(), key);
      if (existing.isPresent()) {
        return verify(existing.get());
      }
    }
    try (Download download = downloader.open(source)) {
      String type = contentType(download);
      OptionalLong length = download.contentLength();
      if (length.isPresent()
          && length.getAsLong() <= Math.min(SMALL_PUT_MAX_BYTES, options.singlePutMaxBytes())) {
        return smallPut(download, (int) length.getAsLong(), type);
      }
      if (length.isPresent() && length.getAsLong() <= options.singlePutMaxBytes()) {
        return streamingPut(download, length.getAsLong(), type);
      }
      return multipart(download, type);
    }
  }

  /** Streams and hashes the output without writing; the existing object if it is the same. */
  private CopiedObject verify(ExistingObject existing) throws CopyException {
    existing.requireJudgeable(options.verifyPartEtags());
    try (Download download = downloader.open(source)) {
      reader = reader(download, StreamDigests.forVerification(options.partSizeBytes()));
      reader.drain(new byte[SCRATCH]);
      reader.checkComplete();
    }
    CopiedObject same = existing.judge(reader.digests(), options.verifyPartEtags());
    alreadyPresent = true;
    log.debug("{} already holds the same {} bytes; nothing written", same.uri(), same.sizeBytes());
    return same;
  }

  /**
   * A small output read whole (one byte past its length, to see it end), then one plain PUT; its
   * SHA-256 is the one the SDK signed when it signs payloads (each byte hashed once), else computed
   * from the buffer.
   */
  private CopiedObject smallPut(Download download, int length, String type) throws CopyException {
    reader = reader(download, StreamDigests.lengthOnly());
    byte[] buffer = new byte[length + 1];
    int n = reader.fill(buffer);
    reader.checkComplete();
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(buffer, 0, n);
    String crc32c =
        java.util.Base64.getEncoder()
            .encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    // the buffer is this run's own and never changes: the body reads it without a copy (the SDK
    // reads it twice over http: once to sign the payload, once to send it)
    RequestBody body =
        RequestBody.fromContentProvider(
            () -> new java.io.ByteArrayInputStream(buffer, 0, n), n, type);
    AtomicReference<String> signed = new AtomicReference<>();
    if (!put(
        plainPayload,
        b ->
            b.checksumCRC32C(crc32c)
                .overrideConfiguration(
                    o -> o.putExecutionAttribute(SignedPayload.ATTRIBUTE, signed)),
        body,
        n,
        type)) {
      return raced();
    }
    return new CopiedObject(
        options.bucket(), key, n, SignedPayload.sha256Hex(signed, buffer, n), type);
  }

  /**
   * One PUT whose body is the download itself, read by the SDK as it signs and sends: no part
   * buffer, and the socket's receive buffer lets the download run on while the SDK hashes and
   * sends. Its SHA-256 is the one the SDK computed for the trailer S3 checks ({@link
   * TrailerChecksum}): each byte is hashed once for S3 and the ledger together.
   */
  private CopiedObject streamingPut(Download download, long length, String type)
      throws CopyException {
    reader = reader(download, StreamDigests.lengthOnly());
    AtomicReference<byte[]> sent = new AtomicReference<>();
    AtomicBoolean opened = new AtomicBoolean();
    RequestBody body =
        RequestBody.fromContentProvider(
            () -> {
              if (opened.getAndSet(true)) {
                // An SDK retry after a failed attempt: the download is spent; this copy fails
                // and its caller retries it as a whole.
                throw NonRetryableException.create("a download cannot be replayed within one copy");
              }
              return reader.stream();
            },
            length,
            type);
    if (!put(
        s3,
        b ->
            b.checksumAlgorithm(ChecksumAlgorithm.SHA256)
                .overrideConfiguration(
                    o -> o.putExecutionAttribute(TrailerChecksum.ATTRIBUTE, sent)),
        body,
        length,
        type)) {
      // S3 may refuse on the headers, before reading the body: give the download's connection
      // back before the verification pass opens another one (with every copy holding one while
      // waiting for a second, the pool would run dry).
      download.close();
      return raced();
    }
    reader.drain(new byte[8 * 1024]); // the SDK stops at the announced length: see the end
    if (reader.digests().total() != length || !reader.eof()) {
      reader.checkComplete();
    }
    // Without the value (an SDK that no longer reports it) the object is written but its SHA-256
    // unknown: the retry finds the key and hashes it in a verification pass.
    String sha256 =
        TrailerChecksum.sha256Hex(sent)
            .orElseThrow(
                () ->
                    new CopyException.Retryable(
                        "the S3 client did not report the SHA-256 it sent for "
                            + S3Errors.uri(options.bucket(), key),
                        null));
    return new CopiedObject(options.bucket(), key, length, sha256, type);
  }

  /**
   * A copy of unknown length or above the single-PUT limit: holds {@value MultipartUpload#BUFFERS}
   * part buffers, so it waits for a turn among the copies the heap has room for.
   */
  private CopiedObject multipart(Download download, String type) throws CopyException {
    try {
      partBuffers.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CopyException.Retryable("copy to " + key + " interrupted waiting for buffers", e);
    }
    try {
      return bufferedMultipart(download, type);
    } finally {
      partBuffers.release();
    }
  }

  private CopiedObject bufferedMultipart(Download download, String type) throws CopyException {
    reader = reader(download, StreamDigests.forUpload());
    int partSize = options.partSizeBytes();
    byte[] first = new byte[partSize];
    int n = reader.fill(first);
    if (reader.eof()) {
      reader.checkComplete();
      return putBuffer(first, n, type);
    }
    boolean taken;
    try (MultipartUpload upload =
        MultipartUpload.create(s3, options.bucket(), key, type, partSize, first)) {
      byte[] buffer = first;
      while (n > 0) {
        upload.uploadPart(buffer, n);
        if (reader.eof()) {
          break;
        }
        buffer = upload.buffer();
        n = reader.fill(buffer);
      }
      reader.checkComplete();
      // Some S3-compatible stores ignore If-None-Match on completion: look first.
      taken = ExistingObject.head(s3, options.bucket(), key).isPresent() || !upload.complete();
    }
    if (taken) {
      return raced(); // the upload is aborted by now
    }
    return new CopiedObject(
        options.bucket(), key, reader.digests().total(), reader.digests().sha256Hex(), type);
  }

  private CopiedObject putBuffer(byte[] buffer, int n, String type) throws CopyException {
    RequestBody body =
        RequestBody.fromContentProvider(
            () -> new java.io.ByteArrayInputStream(buffer, 0, n), n, type);
    if (!put(body, n, type)) {
      return raced();
    }
    return new CopiedObject(options.bucket(), key, n, reader.digests().sha256Hex(), type);
  }

  /**
   * A conditional PUT with a CRC32C that S3 verifies (the SDK computes it as the body streams);
   * false when the key exists (HTTP 412).
   */
  private boolean put(RequestBody body, long length, String type) throws CopyException {
    return put(s3, b -> b.checksumAlgorithm(ChecksumAlgorithm.CRC32_C), body, length, type);
  }

  /** The conditional PUT through {@code client}, its checksum named by {@code checksum}. */
  private boolean put(
      S3Client client,
      java.util.function.Consumer<PutObjectRequest.Builder> checksum,
      RequestBody body,
      long length,
      String type)
      throws CopyException {
    try {
      client.putObject(
          b -> {
            b.bucket(options.bucket())
                .key(key)
                .contentLength(length)
                .contentType(type)
                .ifNoneMatch("*");
            checksum.accept(b);
          },
          body);
      return true;
    } catch (SdkException e) {
      if (reader.failure() != null) {
        throw reader.failure();
      }
      if (S3Errors.isPreconditionFailed(e)) {
        return false;
      }
      if (reader.eof()) {
        reader.checkComplete();
      }
      throw S3Errors.retryable("PutObject", options.bucket(), key, e);
    }
  }

  /** The key appeared while we streamed: judge it by a verification pass. */
  private CopiedObject raced() throws CopyException {
    Optional<ExistingObject> now = ExistingObject.head(s3, options.bucket(), key);
    if (now.isEmpty()) {
      throw new CopyException.Retryable(
          "S3 refused the conditional write of "
              + S3Errors.uri(options.bucket(), key)
              + " but the key is absent",
          null);
    }
    return verify(now.get());
  }

  private PartReader reader(Download download, StreamDigests digests) {
    return new PartReader(download, digests, downloader.maxBytes());
  }

  private String contentType(Download download) {
    if (requestedType != null && !requestedType.isBlank()) {
      return requestedType;
    }
    return download.contentType().orElse("application/octet-stream");
  }
}
