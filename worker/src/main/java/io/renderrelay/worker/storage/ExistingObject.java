package io.renderrelay.worker.storage;

import java.util.HexFormat;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An object already at a copy's final key, and the rule that says whether it holds the output's
 * bytes. Its identity is, in this order: the {@code sha256} user metadata (objects written by
 * earlier versions, which published through a staging copy), a full-object SHA-256 or CRC32C that
 * S3 stored (S3 verified it when the object was written: a streaming PUT sends a SHA-256, earlier
 * versions and multipart uploads a CRC32C), or an ETag that is an MD5 (a single PUT) or an MD5 of
 * part MD5s (a multipart upload in parts of this worker's size), when ETags are MD5s (no
 * SSE-KMS/SSE-C). An object with none of these cannot be judged and is never overwritten.
 */
record ExistingObject(
    String bucket,
    String key,
    long size,
    Optional<String> sha256,
    Optional<String> checksumSha256,
    Optional<String> crc32c,
    Optional<String> etag,
    String contentType) {

  static final String SHA256_METADATA = "sha256";

  /** HEADs the key (with checksums); empty when absent. */
  static Optional<ExistingObject> head(S3Client s3, String bucket, String key)
      throws CopyException {
    HeadObjectResponse h;
    try {
      h = s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw S3Errors.retryable("HeadObject", bucket, key, e);
    } catch (SdkException e) {
      throw S3Errors.retryable("HeadObject", bucket, key, e);
    }
    return Optional.of(
        new ExistingObject(
            bucket,
            key,
            h.contentLength() == null ? -1 : h.contentLength(),
            Optional.ofNullable(h.metadata().get(SHA256_METADATA)).filter(s -> !s.isBlank()),
            fullObject(h.checksumSHA256(), h.checksumType()),
            fullObject(h.checksumCRC32C(), h.checksumType()),
            Optional.ofNullable(h.eTag()).map(Checksums::normalizeEtag),
            h.contentType()));
  }

  /**
   * A checksum S3 reported, if it is of the whole object: not when the type says COMPOSITE (a
   * checksum of part checksums), nor when the value carries a part count ({@code -N}, which base64
   * never contains) from a store that reports no type.
   */
  static Optional<String> fullObject(String checksum, ChecksumType type) {
    if (checksum == null
        || checksum.contains("-")
        || (type != null && type != ChecksumType.FULL_OBJECT)) {
      return Optional.empty();
    }
    return Optional.of(checksum);
  }

  /** Whether {@link #judge} can decide at all; else refuse before downloading anything. */
  void requireJudgeable(boolean etagsAreMd5) throws CopyException.Rejected {
    if (sha256.isEmpty()
        && checksumSha256.isEmpty()
        && crc32c.isEmpty()
        && (!etagsAreMd5 || etag.isEmpty())) {
      throw new CopyException.Rejected(
          uri()
              + " already exists without sha256 metadata, checksum or MD5 ETag; refusing to"
              + " overwrite it");
    }
  }

  /** The existing object if it holds the hashed output's bytes; else Rejected, left untouched. */
  CopiedObject judge(StreamDigests d, boolean etagsAreMd5) throws CopyException.Rejected {
    requireJudgeable(etagsAreMd5);
    String sha = d.sha256Hex();
    boolean same;
    String theirs;
    if (sha256.isPresent()) {
      theirs = "sha256 " + sha256.get();
      same = sha256.get().equalsIgnoreCase(sha);
    } else if (checksumSha256.isPresent()) {
      theirs = "checksum sha256 " + checksumSha256.get();
      same = checksumSha256.get().equals(Checksums.base64(HexFormat.of().parseHex(sha)));
    } else if (crc32c.isPresent()) {
      theirs = "crc32c " + crc32c.get();
      same = crc32c.get().equals(d.crc32cBase64());
    } else {
      String e = etag.orElseThrow();
      theirs = "ETag " + e;
      same = e.equals(e.contains("-") ? d.multipartEtag() : d.md5Hex());
    }
    if (!same || size != d.total()) {
      throw new CopyException.Rejected(
          uri()
              + " already exists with different content ("
              + theirs
              + ", "
              + size
              + " bytes; the output has sha256 "
              + sha
              + ", "
              + d.total()
              + " bytes); refusing to overwrite it");
    }
    return new CopiedObject(bucket, key, size, sha, contentType);
  }

  String uri() {
    return S3Errors.uri(bucket, key);
  }
}
