package io.renderrelay.worker.storage;

import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkInternalExecutionAttribute;
import software.amazon.awssdk.http.auth.spi.signer.PayloadChecksumStore;

/**
 * The SHA-256 a streaming PUT sent as its {@code x-amz-checksum-sha256} trailer, which S3 checks
 * against the bytes it received: the SDK computes it while the body streams and keeps it in the
 * request's {@link PayloadChecksumStore} (so that a retry sends the same value). A streaming copy
 * records that value instead of hashing the same bytes a second time. The store is reached through
 * {@link SdkInternalExecutionAttribute#CHECKSUM_STORE} (an SDK-protected attribute): a change of
 * the SDK that stops filling it leaves {@link #sha256Hex} empty, and the copy fails rather than
 * record a SHA-256 nobody computed ({@code S3StreamingCopierIT} and {@code SmallPutHttpsIT} pin the
 * value over http and https). Registered on the streaming client ({@link
 * S3ClientFactory#createPair}); a request asks for the value with {@link #ATTRIBUTE}.
 */
final class TrailerChecksum implements ExecutionInterceptor {

  /** Where the interceptor puts the SHA-256 the request's trailer carried. */
  static final ExecutionAttribute<AtomicReference<byte[]>> ATTRIBUTE =
      new ExecutionAttribute<>("render-relay.trailer-sha256");

  private static final int SHA256_BYTES = 32;

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    AtomicReference<byte[]> holder = attributes.getAttribute(ATTRIBUTE);
    if (holder == null) {
      return;
    }
    PayloadChecksumStore store =
        attributes.getAttribute(SdkInternalExecutionAttribute.CHECKSUM_STORE);
    byte[] value = store == null ? null : store.getChecksumValue(DefaultChecksumAlgorithm.SHA256);
    holder.set(value != null && value.length == SHA256_BYTES ? value.clone() : null);
  }

  /** The hex SHA-256 the trailer carried; empty when the SDK did not report one. */
  static java.util.Optional<String> sha256Hex(AtomicReference<byte[]> holder) {
    return java.util.Optional.ofNullable(holder.get()).map(Checksums::hex);
  }
}
