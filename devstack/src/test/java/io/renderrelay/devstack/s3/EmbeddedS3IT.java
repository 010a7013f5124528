package io.renderrelay.devstack.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.devstack.LocalPorts;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

@Timeout(120)
class EmbeddedS3IT {
  private static final int PART_SIZE = 5 * 1024 * 1024;
  private static final String BUCKET = "renders";

  private EmbeddedS3 s3;
  private S3Client client;

  @BeforeEach
  void startServer() {
    s3 = new EmbeddedS3(EmbeddedS3Config.defaults());
    long t0 = System.nanoTime();
    s3.start();
    System.out.printf("TIMING embedded s3 start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    s3.createBucket(BUCKET);
    client = client(s3, s3.secretKey());
  }

  @AfterEach
  void stopServer() {
    client.close();
    s3.close();
  }

  @Test
  void putAndGetRoundTrip() {
    client.putObject(
        b -> b.bucket(BUCKET).key("a/b/hello.txt").contentType("text/plain"),
        RequestBody.fromString("hello render"));
    ResponseBytes<GetObjectResponse> got =
        client.getObjectAsBytes(b -> b.bucket(BUCKET).key("a/b/hello.txt"));
    assertThat(got.asUtf8String()).isEqualTo("hello render");
    assertThat(got.response().contentType()).isEqualTo("text/plain");
    assertThat(client.listBuckets().buckets()).extracting(b -> b.name()).contains(BUCKET);
  }

  @Test
  void multipartUploadCompletesAndPartETagsAreMd5OfPartBytes() throws Exception {
    String key = "renders/job-1/output.mp4";
    String uploadId =
        client
            .createMultipartUpload(b -> b.bucket(BUCKET).key(key).contentType("video/mp4"))
            .uploadId();
    Random random = new Random(42);
    List<byte[]> parts = new ArrayList<>();
    List<CompletedPart> completed = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      byte[] bytes = new byte[PART_SIZE];
      random.nextBytes(bytes);
      parts.add(bytes);
      int partNumber = n;
      UploadPartResponse resp =
          client.uploadPart(
              b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(partNumber),
              RequestBody.fromBytes(bytes));
      assertThat(unquote(resp.eTag())).isEqualTo(md5Hex(bytes));
      completed.add(CompletedPart.builder().partNumber(n).eTag(resp.eTag()).build());
    }
    ListPartsResponse listed = client.listParts(b -> b.bucket(BUCKET).key(key).uploadId(uploadId));
    assertThat(listed.parts()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(unquote(listed.parts().get(i).eTag())).isEqualTo(md5Hex(parts.get(i)));
    }
    client.completeMultipartUpload(
        b ->
            b.bucket(BUCKET)
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build()));

    ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
    assertThat(got.asByteArray()).hasSize(3 * PART_SIZE);
    byte[] expected = concat(parts);
    assertThat(md5Hex(got.asByteArray())).isEqualTo(md5Hex(expected));
    assertThat(unquote(got.response().eTag())).endsWith("-3");
  }

  @Test
  void abortedMultipartUploadLeavesNoObject() throws Exception {
    String key = "renders/job-2/output.mp4";
    String uploadId = client.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
    client.uploadPart(
        b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(new byte[PART_SIZE]));
    assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
        .extracting(u -> u.uploadId())
        .contains(uploadId);
    client.abortMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId));

    assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    // s3proxy differs from AWS here: listParts on an aborted upload answers with no parts (AWS:
    // NoSuchUpload) and uploadPart still succeeds; completing it fails as on AWS.
    assertThat(client.listParts(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)).parts())
        .isEmpty();
    String partETag = md5Hex(new byte[PART_SIZE]);
    assertThatThrownBy(
            () ->
                client.completeMultipartUpload(
                    b ->
                        b.bucket(BUCKET)
                            .key(key)
                            .uploadId(uploadId)
                            .multipartUpload(
                                CompletedMultipartUpload.builder()
                                    .parts(
                                        CompletedPart.builder()
                                            .partNumber(1)
                                            .eTag(partETag)
                                            .build())
                                    .build())))
        .isInstanceOf(NoSuchUploadException.class);
    assertThat(client.listObjectsV2(b -> b.bucket(BUCKET)).contents()).isEmpty();
  }

  @Test
  void wrongSecretIsRejected() {
    try (S3Client wrong = client(s3, "not-the-secret")) {
      assertThatThrownBy(() -> wrong.listObjectsV2(b -> b.bucket(BUCKET)))
          .isInstanceOf(S3Exception.class)
          .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
    }
  }

  @Test
  void stopMakesS3UnreachableAndStartServesTheSameObjectsOnTheSamePort() throws Exception {
    client.putObject(b -> b.bucket(BUCKET).key("kept"), RequestBody.fromString("still here"));
    int port = s3.port();
    s3.stop();
    assertThat(LocalPorts.isListening(port)).isFalse();
    assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket(BUCKET).key("kept")))
        .isInstanceOf(SdkClientException.class);
    s3.start();
    assertThat(s3.port()).isEqualTo(port);
    assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key("kept")).asUtf8String())
        .isEqualTo("still here");

    CompletableFuture<Void> resumed = s3.pause(Duration.ofMillis(700));
    assertThat(LocalPorts.isListening(port)).isFalse();
    resumed.get(10, TimeUnit.SECONDS);
    assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key("kept")).asUtf8String())
        .isEqualTo("still here");
  }

  @Test
  void closeReleasesPortAndDeletesTemporaryData() {
    int port = s3.port();
    Path dir = s3.dataDir();
    assertThat(dir).isDirectory();
    s3.close();
    assertThat(LocalPorts.isListening(port)).isFalse();
    assertThat(dir).doesNotExist();
  }

  @Test
  void configToStringHidesSecret() {
    assertThat(EmbeddedS3Config.defaults().toString())
        .doesNotContain(EmbeddedS3Config.DEFAULT_SECRET_KEY);
  }

  static S3Client client(EmbeddedS3 s3, String secret) {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.of(s3.region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), secret)))
        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)))
        .build();
  }

  private static String unquote(String etag) {
    return etag.replace("\"", "");
  }

  private static String md5Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  private static byte[] concat(List<byte[]> parts) {
    int size = parts.stream().mapToInt(p -> p.length).sum();
    byte[] all = new byte[size];
    int offset = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, offset, p.length);
      offset += p.length;
    }
    return all;
  }
}
