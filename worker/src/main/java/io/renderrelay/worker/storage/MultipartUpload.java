package io.renderrelay.worker.storage;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One multipart upload straight to the final key: parts are uploaded on virtual threads while the
 * next part is read, at most {@value #PARTS_IN_FLIGHT} at once, each from its own buffer (so a copy
 * holds {@value #BUFFERS} part buffers), each with a CRC32C that S3 verifies. Completion is
 * conditional ({@code If-None-Match: *}); {@link #close()} aborts an upload that did not complete.
 */
final class MultipartUpload implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MultipartUpload.class);

  /** Parts uploading at once while the next one is read. */
  static final int PARTS_IN_FLIGHT = 2;

  /** Part buffers one multipart copy holds at most. */
  static final int BUFFERS = PARTS_IN_FLIGHT + 1;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final String uploadId;
  private final BlockingQueue<byte[]> free;
  private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
  private final ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor();
  private final int partSize;
  private int allocated;
  private boolean completed;

  private MultipartUpload(
      S3Client s3, String bucket, String key, String uploadId, int partSize, byte[] first) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.uploadId = uploadId;
    this.partSize = partSize;
    this.free = new ArrayBlockingQueue<>(BUFFERS);
    this.allocated = 1; // first, which the caller fills and uploads first
    if (first.length != partSize) {
      throw new IllegalArgumentException("the first buffer must be part-sized");
    }
  }

  /** Starts an upload; {@code first} is the part-sized buffer the first part was read into. */
  static MultipartUpload create(
      S3Client s3, String bucket, String key, String contentType, int partSize, byte[] first)
      throws CopyException {
    try {
      String id =
          s3.createMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key(key)
                          .contentType(contentType)
                          .checksumAlgorithm(ChecksumAlgorithm.CRC32_C))
              .uploadId();
      return new MultipartUpload(s3, bucket, key, id, partSize, first);
    } catch (SdkException e) {
      throw S3Errors.retryable("CreateMultipartUpload", bucket, key, e);
    }
  }

  /** A free part buffer (waits while {@value #PARTS_IN_FLIGHT} parts upload); fails on error. */
  byte[] buffer() throws CopyException {
    byte[] b = free.poll();
    if (b != null) {
      return b;
    }
    if (allocated < BUFFERS) {
      allocated++;
      return new byte[partSize];
    }
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CopyException.Retryable("multipart upload of " + uri() + " interrupted", e);
    }
  }

  /** Uploads {@code n} bytes of {@code buffer} as the next part, in the background. */
  void uploadPart(byte[] buffer, int n) throws CopyException {
    int number = parts.size() + 1;
    for (CompletableFuture<CompletedPart> p : parts) {
      if (p.isCompletedExceptionally()) {
        join(p);
      }
    }
    parts.add(CompletableFuture.supplyAsync(() -> send(buffer, n, number), uploads));
  }

  private CompletedPart send(byte[] buffer, int n, int number) {
    try {
      var response =
          s3.uploadPart(
              b ->
                  b.bucket(bucket)
                      .key(key)
                      .uploadId(uploadId)
                      .partNumber(number)
                      .contentLength((long) n)
                      .checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
              RequestBody.fromContentProvider(
                  () -> new ByteArrayInputStream(buffer, 0, n), n, "application/octet-stream"));
      return CompletedPart.builder()
          .partNumber(number)
          .eTag(response.eTag())
          .checksumCRC32C(response.checksumCRC32C())
          .build();
    } finally {
      free.offer(buffer);
    }
  }

  /** Waits for every part and completes the upload; false when the key exists (HTTP 412). */
  boolean complete() throws CopyException {
    List<CompletedPart> done = new ArrayList<>();
    for (CompletableFuture<CompletedPart> p : parts) {
      done.add(join(p));
    }
    try {
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key(key)
                  .uploadId(uploadId)
                  .ifNoneMatch("*")
                  .multipartUpload(m -> m.parts(done)));
      completed = true;
      return true;
    } catch (SdkException e) {
      if (S3Errors.isPreconditionFailed(e)) {
        return false;
      }
      throw S3Errors.retryable("CompleteMultipartUpload", bucket, key, e);
    }
  }

  private CompletedPart join(CompletableFuture<CompletedPart> p) throws CopyException {
    try {
      return p.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SdkException s) {
        throw S3Errors.retryable("UploadPart", bucket, key, s);
      }
      throw new CopyException.Retryable(
          "UploadPart on " + uri() + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CopyException.Retryable("multipart upload of " + uri() + " interrupted", e);
    }
  }

  /** Waits for parts still uploading, then aborts the upload unless it completed. */
  @Override
  public void close() {
    uploads.close();
    if (completed) {
      return;
    }
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
      log.debug("aborted multipart upload of {}", uri());
    } catch (SdkException e) {
      log.warn(
          "could not abort multipart upload of {} (a lifecycle rule must clean it): {}",
          uri(),
          e.getMessage());
    }
  }

  private String uri() {
    return S3Errors.uri(bucket, key);
  }
}
