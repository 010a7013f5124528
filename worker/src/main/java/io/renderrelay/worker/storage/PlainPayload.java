package io.renderrelay.worker.storage;

import java.util.List;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * The auth schemes of the client that sends a body as it is, not in aws-chunked encoding: for small
 * bodies held in memory whose checksum travels in a header ({@link S3ClientFactory#createPair}).
 * (The main client keeps chunked encoding for streaming bodies, which cannot be read twice to sign
 * them.) Set once when that client is built: as a per-request plugin it made the SDK rebuild the
 * client configuration for every small PUT.
 */
final class PlainPayload {

  private PlainPayload() {}

  /** {@code delegate}'s auth schemes with chunked encoding off. */
  static S3AuthSchemeProvider authSchemes(S3AuthSchemeProvider delegate) {
    return params -> withoutChunks(delegate.resolveAuthScheme(params));
  }

  private static List<AuthSchemeOption> withoutChunks(List<AuthSchemeOption> options) {
    return options.stream()
        .map(
            o ->
                AwsV4AuthScheme.SCHEME_ID.equals(o.schemeId())
                    ? o.toBuilder()
                        .putSignerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false)
                        .build()
                    : o)
        .toList();
  }
}
