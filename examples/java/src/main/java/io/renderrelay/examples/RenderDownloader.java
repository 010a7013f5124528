package io.renderrelay.examples;

import io.renderrelay.avro.RenderOutput;
import io.renderrelay.client.S3Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Downloads one {@link RenderOutput} to {@code <dir>/<jobId>/<file name>}: streams it into a
 * temporary file while hashing, compares size and SHA-256 with the event, then moves it into place
 * atomically (a repeated event replaces the file with identical bytes).
 */
final class RenderDownloader {

  /** The downloaded bytes do not match the event's size or checksum. */
  static final class IntegrityException extends Exception {
    IntegrityException(String message) {
      super(message);
    }
  }

  private final S3Client s3;
  private final Path dir;

  RenderDownloader(S3Client s3, Path dir) {
    this.s3 = s3;
    this.dir = dir;
  }

  /**
   * Downloads and verifies the object.
   *
   * @return the final path
   * @throws IntegrityException when size or SHA-256 differ from the event (nothing is kept)
   * @throws UncheckedIOException on a local file error; S3 errors propagate as SDK exceptions, so
   *     the listener delivers the event again after its back-off
   */
  Path download(String jobId, RenderOutput output) throws IntegrityException {
    S3Location location = S3Location.of(output);
    try {
      Path jobDir = Files.createDirectories(dir.resolve(safe(jobId)));
      Path target = jobDir.resolve(safe(location.fileName()));
      Path part = Files.createTempFile(jobDir, location.fileName(), ".part");
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long size;
        GetObjectRequest request =
            GetObjectRequest.builder().bucket(location.bucket()).key(location.key()).build();
        try (InputStream in = new DigestInputStream(s3.getObject(request), sha);
            OutputStream file = Files.newOutputStream(part)) {
          size = in.transferTo(file);
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (size != output.getSizeBytes() || !actual.equalsIgnoreCase(output.getSha256())) {
          throw new IntegrityException(
              location.uri()
                  + " has "
                  + size
                  + " bytes with SHA-256 "
                  + actual
                  + ", the event says "
                  + output.getSizeBytes()
                  + " bytes with "
                  + output.getSha256());
        }
        return Files.move(
            part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(part);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the render of " + jobId + " under " + dir, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** A job id or file name as one path segment (job ids are [A-Za-z0-9._:-], but be strict). */
  private static String safe(String segment) {
    String s = segment.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() || s.equals(".") || s.equals("..") ? "_" : s;
  }
}
