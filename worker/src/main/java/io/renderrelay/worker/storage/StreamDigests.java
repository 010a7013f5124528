package io.renderrelay.worker.storage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.zip.CRC32C;

/**
 * The digests of one output stream, each byte fed once per algorithm. An upload needs only the
 * SHA-256 (for the ledger and the event; S3 verifies its own CRC32C, computed by the SDK). A
 * verification pass against an existing object also computes what S3 may have stored: the MD5 (a
 * single-PUT ETag), the MD5 of each part (a multipart ETag) and the CRC32C (a full-object
 * checksum).
 */
final class StreamDigests {
  private final MessageDigest sha256;
  private final Identity identity;
  private long total;
  private String sha256Hex;

  private StreamDigests(MessageDigest sha256, Identity identity) {
    this.sha256 = sha256;
    this.identity = identity;
  }

  /** SHA-256 only (the upload path). */
  static StreamDigests forUpload() {
    return new StreamDigests(Checksums.sha256(), null);
  }

  /**
   * The length only: for a small PUT, whose body is hashed after it is read whole (or whose SHA-256
   * the SDK signs, {@link SignedPayload}).
   */
  static StreamDigests lengthOnly() {
    return new StreamDigests(null, null);
  }

  /** SHA-256 plus what identifies an existing object written with parts of {@code partSize}. */
  static StreamDigests forVerification(long partSize) {
    return new StreamDigests(Checksums.sha256(), new Identity(partSize));
  }

  void update(byte[] b, int off, int len) {
    if (sha256 != null) {
      sha256.update(b, off, len);
    }
    if (identity != null) {
      identity.update(b, off, len);
    }
    total += len;
  }

  long total() {
    return total;
  }

  /** The SHA-256 of everything fed so far (ends the digest; call once all bytes are in). */
  String sha256Hex() {
    if (sha256 == null) {
      throw new IllegalStateException("the SHA-256 was not computed");
    }
    if (sha256Hex == null) {
      sha256Hex = Checksums.hex(sha256.digest());
    }
    return sha256Hex;
  }

  /** The MD5 of the whole stream, hex (the ETag of a single PUT). */
  String md5Hex() {
    return Checksums.hex(identity().md5.digest());
  }

  /** The ETag S3 gives a multipart upload of this stream in parts of the given size. */
  String multipartEtag() {
    return identity().multipartEtag();
  }

  /** The CRC32C of the whole stream as S3 reports it (base64 of the big-endian value). */
  String crc32cBase64() {
    byte[] v = ByteBuffer.allocate(4).putInt((int) identity().crc.getValue()).array();
    return Checksums.base64(v);
  }

  private Identity identity() {
    if (identity == null) {
      throw new IllegalStateException("identity digests were not computed");
    }
    return identity;
  }

  /** The digests of a verification pass. */
  private static final class Identity {
    private final long partSize;
    private final MessageDigest md5 = Checksums.md5();
    private final MessageDigest partMd5 = Checksums.md5();
    private final ByteArrayOutputStream partMd5s = new ByteArrayOutputStream();
    private final CRC32C crc = new CRC32C();
    private long inPart;
    private int parts;

    Identity(long partSize) {
      this.partSize = partSize;
    }

    void update(byte[] b, int off, int len) {
      md5.update(b, off, len);
      crc.update(b, off, len);
      int at = off;
      int left = len;
      while (left > 0) {
        int n = (int) Math.min(left, partSize - inPart);
        partMd5.update(b, at, n);
        inPart += n;
        at += n;
        left -= n;
        if (inPart == partSize) {
          endPart();
        }
      }
    }

    private void endPart() {
      partMd5s.writeBytes(partMd5.digest());
      parts++;
      inPart = 0;
    }

    String multipartEtag() {
      if (inPart > 0 || parts == 0) {
        endPart();
      }
      return Checksums.hex(Checksums.md5().digest(partMd5s.toByteArray())) + "-" + parts;
    }
  }
}
