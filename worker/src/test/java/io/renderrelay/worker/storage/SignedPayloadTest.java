package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

class SignedPayloadTest {
  private static final byte[] BODY = "a small output".getBytes(StandardCharsets.US_ASCII);
  private static final String SHA256 = sha256(BODY);

  @Test
  void takesTheSha256TheSdkSignedForTheBody() {
    AtomicReference<String> signed = transmit(SHA256);
    assertThat(signed.get()).isEqualTo(SHA256);
    assertThat(SignedPayload.sha256Hex(signed, new byte[BODY.length], BODY.length))
        .as("the signed value is used, the buffer not hashed again")
        .isEqualTo(SHA256);
  }

  @Test
  void hashesTheBodyItselfWhenThePayloadWasNotSigned() {
    // https: the SDK sends no payload hash; nor does a streaming (chunked) body carry one
    for (String header :
        new String[] {"UNSIGNED-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "ABC", null}) {
      AtomicReference<String> signed = transmit(header);
      assertThat(signed.get()).as(header).isNull();
      assertThat(SignedPayload.sha256Hex(signed, BODY, BODY.length)).as(header).isEqualTo(SHA256);
    }
  }

  @Test
  void aRequestThatDoesNotAskIsLeftAlone() {
    new SignedPayload().beforeTransmission(context(SHA256), new ExecutionAttributes());
  }

  private static AtomicReference<String> transmit(String header) {
    AtomicReference<String> holder = new AtomicReference<>("stale");
    ExecutionAttributes attributes = new ExecutionAttributes();
    attributes.putAttribute(SignedPayload.ATTRIBUTE, holder);
    new SignedPayload().beforeTransmission(context(header), attributes);
    return holder;
  }

  private static Context.BeforeTransmission context(String header) {
    SdkHttpRequest.Builder http =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.PUT)
            .protocol("http")
            .host("127.0.0.1")
            .encodedPath("/bucket/key");
    if (header != null) {
      http.putHeader("x-amz-content-sha256", header);
    }
    SdkHttpRequest request = http.build();
    return new Context.BeforeTransmission() {
      @Override
      public SdkRequest request() {
        return PutObjectRequest.builder().bucket("bucket").key("key").build();
      }

      @Override
      public SdkHttpRequest httpRequest() {
        return request;
      }

      @Override
      public Optional<RequestBody> requestBody() {
        return Optional.empty();
      }

      @Override
      public Optional<AsyncRequestBody> asyncRequestBody() {
        return Optional.empty();
      }
    };
  }

  private static String sha256(byte[] b) {
    return Checksums.hex(Checksums.sha256().digest(b));
  }
}
