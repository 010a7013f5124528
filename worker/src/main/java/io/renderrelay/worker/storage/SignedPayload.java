package io.renderrelay.worker.storage;

import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The SHA-256 of a plain (not aws-chunked) PUT body as the SDK signed it: with payload signing (S3
 * over http) SigV4 sends the hex SHA-256 of the whole body in {@code x-amz-content-sha256}, which
 * S3 checks against the bytes it receives. A small PUT takes its recorded SHA-256 from there
 * instead of hashing the same bytes a second time; without payload signing (https: {@code
 * UNSIGNED-PAYLOAD}) it hashes them itself ({@link #sha256Hex}). Registered on the plain-payload
 * client ({@link S3ClientFactory#createPair}); a request asks for the value with {@link
 * #ATTRIBUTE}.
 */
final class SignedPayload implements ExecutionInterceptor {

  /** Where the interceptor puts the signed SHA-256 (hex) of the request that carries it. */
  static final ExecutionAttribute<AtomicReference<String>> ATTRIBUTE =
      new ExecutionAttribute<>("render-relay.signed-payload-sha256");

  private static final String HEADER = "x-amz-content-sha256";
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    AtomicReference<String> holder = attributes.getAttribute(ATTRIBUTE);
    if (holder != null) {
      holder.set(
          context
              .httpRequest()
              .firstMatchingHeader(HEADER)
              .filter(v -> SHA256_HEX.matcher(v).matches())
              .orElse(null));
    }
  }

  /** The signed SHA-256 of {@code body[0..n)} if the SDK signed it, else computed here. */
  static String sha256Hex(AtomicReference<String> signed, byte[] body, int n) {
    String hex = signed.get();
    if (hex != null) {
      return hex;
    }
    var sha256 = Checksums.sha256();
    sha256.update(body, 0, n);
    return Checksums.hex(sha256.digest());
  }
}
