package io.renderrelay.worker.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The state of one copy call of {@link S3StreamingCopier}: one buffer, the digests, counters. */
final class CopyRun {
  private static final Logger log = LoggerFactory.getLogger(CopyRun.class);
  static final String SHA256_METADATA = "sha256";

  private final S3Client s3;
  private final SafeDownloader downloader;
  private final S3StreamingCopier.Options options;
  private final URI source;
  private final String key;
  private final String requestedType;
  private final MessageDigest sha256 = Checksums.sha256();
  private final MessageDigest md5 = Checksums.md5();
  private byte[] buffer;
  private long total;
  private boolean eof;
  private boolean alreadyPresent;

  CopyRun(
      S3Client s3,
      SafeDownloader downloader,
      S3StreamingCopier.Options options,
      URI source,
      String key,
      String requestedType) {
    this.s3 = s3;
    this.downloader = downloader;
    this.options = options;
    this.source = source;
    this.key = key;
    this.requestedType = requestedType;
  }

  long bytesRead() {
    return total;
  }

  boolean alreadyPresent() {
    return alreadyPresent;
  }

  CopiedObject execute() throws CopyException {
    try {
      KeyLayout.requireSafeKey(key);
    } catch (IllegalArgumentException e) {
      throw new CopyException.Rejected("refusing S3 key: " + e.getMessage());
    }
    Optional<HeadObjectResponse> existing = head(key);
    if (existing.isPresent() && sha256Of(existing.get()).isEmpty()) {
      throw new CopyException.Rejected(
          uri(key) + " already exists without sha256 metadata; refusing to overwrite it");
    }
    try (Download download = downloader.open(source)) {
      buffer = new byte[firstBufferSize(download)];
      if (existing.isPresent()) {
        return verifyExisting(download, existing.get());
      }
      String type = contentType(download);
      int n = fill(download);
      if (!eof && n == buffer.length && buffer.length < options.partSizeBytes()) {
        n = growAndFill(download, n);
      }
      if (!eof || n == buffer.length) {
        return multipart(download, n, type);
      }
      checkComplete(download);
      return putSingle(n, type);
    }
  }

  /** Streams and hashes the output without writing; returns the existing object if equal. */
  private CopiedObject verifyExisting(Download download, HeadObjectResponse head)
      throws CopyException {
    while (fill(download) > 0) {
      // hashing only
    }
    checkComplete(download);
    return judgeExisting(head, Checksums.hex(sha256.digest()));
  }

  private CopiedObject judgeExisting(HeadObjectResponse head, String sha) throws CopyException {
    String existingSha = sha256Of(head).orElse("(none)");
    long size = head.contentLength() == null ? -1 : head.contentLength();
    if (!existingSha.equalsIgnoreCase(sha) || size != total) {
      throw new CopyException.Rejected(
          uri(key)
              + " already exists with different content (sha256 "
              + existingSha
              + ", "
              + size
              + " bytes; the output has sha256 "
              + sha
              + ", "
              + total
              + " bytes); refusing to overwrite it");
    }
    alreadyPresent = true;
    log.debug("{} already holds the same {} bytes; nothing written", uri(key), total);
    return new CopiedObject(options.bucket(), key, total, sha, head.contentType());
  }

  private CopiedObject putSingle(int n, String type) throws CopyException {
    byte[] partMd5 = md5(n);
    String sha = Checksums.hex(sha256.digest());
    try {
      var response =
          s3.putObject(
              b ->
                  b.bucket(options.bucket())
                      .key(key)
                      .contentLength((long) n)
                      .contentMD5(Checksums.base64(partMd5))
                      .contentType(type)
                      .metadata(Map.of(SHA256_METADATA, sha))
                      .ifNoneMatch("*"),
              body(n));
      if (options.verifyPartEtags() && !Checksums.etagMatchesMd5(response.eTag(), partMd5)) {
        throw new CopyException.Retryable(
            "S3 answered ETag "
                + response.eTag()
                + " for "
                + uri(key)
                + ", expected MD5 "
                + Checksums.hex(partMd5),
            null);
      }
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        return raced(sha);
      }
      throw s3Error("PutObject", key, e);
    } catch (SdkException e) {
      throw s3Error("PutObject", key, e);
    }
    return new CopiedObject(options.bucket(), key, total, sha, type);
  }

  private CopiedObject multipart(Download download, int firstPart, String type)
      throws CopyException {
    String staging = options.stagingPrefix() + UUID.randomUUID() + "/" + fileName(key);
    String uploadId = createUpload(staging, type);
    String sha;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int n = firstPart;
      while (n > 0) {
        parts.add(uploadPart(staging, uploadId, parts.size() + 1, n));
        n = eof ? 0 : fill(download);
      }
      checkComplete(download);
      sha = Checksums.hex(sha256.digest());
      s3.completeMultipartUpload(
          b ->
              b.bucket(options.bucket())
                  .key(staging)
                  .uploadId(uploadId)
                  .multipartUpload(m -> m.parts(parts)));
    } catch (SdkException e) {
      abort(staging, uploadId);
      throw s3Error("multipart upload", staging, e);
    } catch (CopyException | RuntimeException | Error e) {
      abort(staging, uploadId);
      throw e;
    }
    try {
      // Re-check just before publishing: stores that ignore If-None-Match on CopyObject (S3Proxy)
      // are then open only for the milliseconds between this HEAD and the copy.
      Optional<HeadObjectResponse> now = head(key);
      return now.isPresent() ? judgeRaced(now.get(), sha) : publish(staging, sha, type);
    } finally {
      deleteQuietly(staging);
    }
  }

  private CompletedPart uploadPart(String staging, String uploadId, int partNumber, int n)
      throws CopyException {
    byte[] partMd5 = md5(n);
    var response =
        s3.uploadPart(
            b ->
                b.bucket(options.bucket())
                    .key(staging)
                    .uploadId(uploadId)
                    .partNumber(partNumber)
                    .contentLength((long) n)
                    .contentMD5(Checksums.base64(partMd5)),
            body(n));
    if (options.verifyPartEtags() && !Checksums.etagMatchesMd5(response.eTag(), partMd5)) {
      throw new CopyException.Retryable(
          "S3 answered ETag "
              + response.eTag()
              + " for part "
              + partNumber
              + " of "
              + uri(staging)
              + ", expected MD5 "
              + Checksums.hex(partMd5),
          null);
    }
    return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build();
  }

  /** Copies the completed staging object to the final key with its sha256 and content type. */
  private CopiedObject publish(String staging, String sha, String type) throws CopyException {
    try {
      s3.copyObject(
          b ->
              b.sourceBucket(options.bucket())
                  .sourceKey(staging)
                  .destinationBucket(options.bucket())
                  .destinationKey(key)
                  .metadataDirective(MetadataDirective.REPLACE)
                  .contentType(type)
                  .metadata(Map.of(SHA256_METADATA, sha))
                  .ifNoneMatch("*"));
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        return raced(sha);
      }
      throw s3Error("CopyObject", key, e);
    } catch (SdkException e) {
      throw s3Error("CopyObject", key, e);
    }
    return new CopiedObject(options.bucket(), key, total, sha, type);
  }

  /** The key appeared while we streamed (412 on If-None-Match): judge it like a HEAD hit. */
  private CopiedObject raced(String sha) throws CopyException {
    Optional<HeadObjectResponse> now = head(key);
    if (now.isEmpty()) {
      throw new CopyException.Retryable(
          "S3 refused the conditional write of " + uri(key) + " but the key is absent", null);
    }
    return judgeRaced(now.get(), sha);
  }

  private CopiedObject judgeRaced(HeadObjectResponse now, String sha) throws CopyException {
    if (sha256Of(now).isEmpty()) {
      throw new CopyException.Rejected(
          uri(key) + " appeared without sha256 metadata during the copy; refusing to overwrite it");
    }
    return judgeExisting(now, sha);
  }

  private String createUpload(String staging, String type) throws CopyException {
    try {
      return s3.createMultipartUpload(
              b -> b.bucket(options.bucket()).key(staging).contentType(type))
          .uploadId();
    } catch (SdkException e) {
      throw s3Error("CreateMultipartUpload", staging, e);
    }
  }

  private Optional<HeadObjectResponse> head(String k) throws CopyException {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(options.bucket()).key(k)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw s3Error("HeadObject", k, e);
    } catch (SdkException e) {
      throw s3Error("HeadObject", k, e);
    }
  }

  private void abort(String staging, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(options.bucket()).key(staging).uploadId(uploadId));
      log.debug("aborted multipart upload of {}", uri(staging));
    } catch (SdkException e) {
      log.warn(
          "could not abort multipart upload of {} (a lifecycle rule must clean it): {}",
          uri(staging),
          e.getMessage());
    }
  }

  private void deleteQuietly(String staging) {
    try {
      s3.deleteObject(b -> b.bucket(options.bucket()).key(staging));
    } catch (SdkException e) {
      log.warn("could not delete staging object {}: {}", uri(staging), e.getMessage());
    }
  }

  /** Reads up to one part into the buffer, hashing it; sets eof at the end of the stream. */
  /**
   * A part-sized buffer, or just one byte more than a smaller declared length: many small copies
   * running at once must not each hold a whole part.
   */
  private int firstBufferSize(Download download) {
    long declared = download.contentLength().orElse(Long.MAX_VALUE);
    return (int) Math.min(options.partSizeBytes(), Math.max(0, declared) + 1);
  }

  /** The source sent more than it declared: continue with a part-sized buffer. */
  private int growAndFill(Download download, int filled) throws CopyException {
    buffer = java.util.Arrays.copyOf(buffer, options.partSizeBytes());
    return fillFrom(download, filled);
  }

  private int fill(Download download) throws CopyException {
    return fillFrom(download, 0);
  }

  private int fillFrom(Download download, int from) throws CopyException {
    InputStream in = download.body();
    int n = from;
    try {
      while (n < buffer.length) {
        int r = in.read(buffer, n, buffer.length - n);
        if (r < 0) {
          eof = true;
          break;
        }
        n += r;
      }
    } catch (OutputTooLargeException e) {
      total += n - from;
      throw new CopyException.Rejected(
          "output at "
              + download.host()
              + " is larger than the limit of "
              + downloader.maxBytes()
              + " bytes (stopped reading)");
    } catch (IOException e) {
      total += n - from;
      throw new CopyException.Retryable(
          "download from "
              + download.host()
              + " failed after "
              + total
              + " bytes: "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    }
    sha256.update(buffer, from, n - from);
    total += n - from;
    return n;
  }

  private void checkComplete(Download download) throws CopyException {
    long announced = download.contentLength().orElse(total);
    if (announced != total) {
      throw new CopyException.Retryable(
          "download from "
              + download.host()
              + " ended after "
              + total
              + " of "
              + announced
              + " bytes",
          null);
    }
  }

  private byte[] md5(int n) {
    md5.update(buffer, 0, n);
    return md5.digest();
  }

  /** The part straight from the reused buffer; a fresh stream per SDK attempt, no copy. */
  private RequestBody body(int n) {
    byte[] b = buffer;
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(b, 0, n), n, "application/octet-stream");
  }

  private String contentType(Download download) {
    if (requestedType != null && !requestedType.isBlank()) {
      return requestedType;
    }
    return download.contentType().orElse("application/octet-stream");
  }

  private CopyException s3Error(String op, String k, SdkException e) {
    String detail =
        e instanceof S3Exception s3e
            ? "HTTP "
                + s3e.statusCode()
                + " "
                + (s3e.awsErrorDetails() == null ? "" : s3e.awsErrorDetails().errorCode())
            : e.getClass().getSimpleName() + ": " + e.getMessage();
    return new CopyException.Retryable("S3 " + op + " on " + uri(k) + " failed: " + detail, e);
  }

  private static Optional<String> sha256Of(HeadObjectResponse head) {
    return Optional.ofNullable(head.metadata().get(SHA256_METADATA)).filter(s -> !s.isBlank());
  }

  private String uri(String k) {
    return "s3://" + options.bucket() + "/" + k;
  }

  private static String fileName(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }
}
