package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ChecksumType;

class ExistingObjectTest {
  private static final byte[] BYTES = "an output's bytes".getBytes(StandardCharsets.US_ASCII);

  private static StreamDigests hashed(byte[] bytes) {
    StreamDigests d = StreamDigests.forVerification(5L << 20);
    d.update(bytes, 0, bytes.length);
    return d;
  }

  private static ExistingObject withChecksumSha256(String base64, long size) {
    return withChecksums(Optional.of(base64), Optional.empty(), size);
  }

  private static ExistingObject withChecksums(
      Optional<String> checksumSha256, Optional<String> crc32c, long size) {
    return new ExistingObject(
        "b",
        "k/video.mp4",
        size,
        Optional.empty(),
        checksumSha256,
        crc32c,
        Optional.of("not-an-md5"),
        "video/mp4");
  }

  // issue 15 (copy): a streaming PUT now sends a SHA-256 trailer, so S3 stores a full-object
  // SHA-256 checksum (base64); an object so written is judged by it.
  @Test
  void anObjectWithTheSameFullObjectSha256IsTheOutput() throws Exception {
    String base64 = Checksums.base64(Checksums.sha256().digest(BYTES));
    CopiedObject same = withChecksumSha256(base64, BYTES.length).judge(hashed(BYTES), false);
    assertThat(same.sha256Hex()).isEqualTo(Checksums.hex(Checksums.sha256().digest(BYTES)));
    assertThat(same.sizeBytes()).isEqualTo(BYTES.length);
  }

  @Test
  void anObjectWithAnotherSha256IsRefusedWhateverItsEtag() {
    byte[] other = "another output's bytes".getBytes(StandardCharsets.US_ASCII);
    String base64 = Checksums.base64(Checksums.sha256().digest(other));
    ExistingObject existing = withChecksumSha256(base64, BYTES.length);
    assertThatThrownBy(() -> existing.judge(hashed(BYTES), true))
        .isInstanceOf(CopyException.Rejected.class)
        .hasMessageContaining("checksum sha256 " + base64)
        .hasMessageContaining("refusing to overwrite");
  }

  private static ExistingObject withCrc32c(String base64, long size) {
    return withChecksums(Optional.empty(), Optional.of(base64), size);
  }

  // Review of issue 15 (upgrade, rolling deploy): an object the previous version streamed carries
  // a full-object CRC32C (its trailer) and no SHA-256 checksum. This version's retry of that copy
  // (PriorCopies.POSSIBLE) judges it by the CRC32C: the same bytes are its output, any other bytes
  // are refused, even where ETags are MD5s.
  @Test
  void anObjectThePreviousVersionStreamedIsJudgedByItsCrc32c() throws Exception {
    CopiedObject same =
        withCrc32c(hashed(BYTES).crc32cBase64(), BYTES.length).judge(hashed(BYTES), true);
    assertThat(same.sha256Hex()).isEqualTo(Checksums.hex(Checksums.sha256().digest(BYTES)));

    byte[] other = "an output's bytez".getBytes(StandardCharsets.US_ASCII);
    ExistingObject theirs = withCrc32c(hashed(other).crc32cBase64(), other.length);
    assertThatThrownBy(() -> theirs.judge(hashed(BYTES), true))
        .isInstanceOf(CopyException.Rejected.class)
        .hasMessageContaining("crc32c ")
        .hasMessageContaining("refusing to overwrite");
  }

  @Test
  void onlyAWholeObjectsChecksumIdentifiesIt() {
    String sha = Checksums.base64(Checksums.sha256().digest(BYTES));
    assertThat(ExistingObject.fullObject(sha, ChecksumType.FULL_OBJECT)).contains(sha);
    assertThat(ExistingObject.fullObject(sha, null)).contains(sha);
    assertThat(ExistingObject.fullObject(sha, ChecksumType.COMPOSITE)).isEmpty();
    // a store that reports no type: a part count marks a checksum of part checksums
    assertThat(ExistingObject.fullObject(sha + "-3", null)).isEmpty();
    assertThat(ExistingObject.fullObject(null, ChecksumType.FULL_OBJECT)).isEmpty();
  }

  @Test
  void aFullObjectSha256AloneMakesAnObjectJudgeable() throws Exception {
    withChecksumSha256("AAAA", 1).requireJudgeable(false);
    ExistingObject nothing =
        new ExistingObject(
            "b",
            "k",
            1,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "video/mp4");
    assertThatThrownBy(() -> nothing.requireJudgeable(true))
        .isInstanceOf(CopyException.Rejected.class);
  }
}
