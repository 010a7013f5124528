package io.renderrelay.worker.storage;

import java.util.List;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * A request plugin that sends a request's body as it is, not in aws-chunked encoding: for a small
 * body held in memory whose checksum travels in a header. (The client keeps chunked encoding for
 * streaming bodies, which cannot be read twice to sign them.)
 */
final class PlainPayload {

  /** Add with {@code overrideConfiguration(o -> o.addPlugin(PlainPayload.PLUGIN))}. */
  static final SdkPlugin PLUGIN =
      config -> {
        S3ServiceClientConfiguration.Builder s3 = (S3ServiceClientConfiguration.Builder) config;
        S3AuthSchemeProvider delegate = s3.authSchemeProvider();
        s3.authSchemeProvider(params -> withoutChunks(delegate.resolveAuthScheme(params)));
      };

  private PlainPayload() {}

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
