package io.renderrelay.worker.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/** Digest helpers: hex and base64 forms, and the S3 ETag comparison. */
public final class Checksums {
  private Checksums() {}

  public static MessageDigest sha256() {
    return digest("SHA-256");
  }

  public static MessageDigest md5() {
    return digest("MD5");
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  public static String base64(byte[] digest) {
    return Base64.getEncoder().encodeToString(digest);
  }

  /**
   * Whether an S3 ETag is the given MD5. A plain (non-KMS, single-part or part) ETag is the hex MD5
   * of the bytes, usually in double quotes; compared without quotes and case.
   */
  public static boolean etagMatchesMd5(String etag, byte[] md5) {
    if (etag == null) {
      return false;
    }
    return normalizeEtag(etag).equals(hex(md5));
  }

  /** The ETag without surrounding quotes (and a weak prefix), lower case. */
  public static String normalizeEtag(String etag) {
    String e = etag.strip();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
      e = e.substring(1, e.length() - 1);
    }
    return e.toLowerCase(Locale.ROOT);
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is missing from this JDK", e);
    }
  }
}
