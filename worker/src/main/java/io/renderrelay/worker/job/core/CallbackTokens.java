package io.renderrelay.worker.job.core;

import io.renderrelay.worker.config.Secret;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-job callback tokens: HMAC-SHA256 of the jobId under a secret shared by the replicas, so any
 * replica can check a callback without a lookup and nobody without the secret can forge one.
 */
public final class CallbackTokens {

  private final SecretKeySpec key;
  private final String base;

  public CallbackTokens(Secret secret, URI callbackBaseUrl) {
    this.key = new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    // every trailing slash, as the configuration's check ignores them all
    this.base = callbackBaseUrl.toString().replaceAll("/+$", "");
  }

  public String token(String jobId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] h = mac.doFinal(jobId.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Constant-time check of a presented token. */
  public boolean valid(String jobId, String presented) {
    return presented != null
        && MessageDigest.isEqual(
            token(jobId).getBytes(StandardCharsets.US_ASCII),
            presented.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The URL given to the provider for this job: {@code <base>/<jobId>/<token>}, where the base is
   * provider.callback-base-url, the public URL of the {@code /callbacks} path.
   */
  public URI callbackUrl(String jobId) {
    return URI.create(
        base
            + "/"
            + URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20")
            + "/"
            + token(jobId));
  }
}
