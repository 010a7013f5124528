package io.renderrelay.worker.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.devstack.simulator.InputMedia;
import io.renderrelay.devstack.simulator.InputMedia.MoovAt;
import io.renderrelay.worker.storage.CopyException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Properties of the header parsers over generated files (seeded): every generated header reads back
 * as the size it states; every prefix of a file gives that size or a {@link HeaderException}
 * (conclusive when the prefix is the whole file, undecided when more could be read); random and
 * bit-flipped bytes give a size or a HeaderException; nothing else ever escapes.
 */
class MediaHeadersPropertyTest {

  private static final long SEED = 20261206L;
  private static final int CASES = 2_000;

  /** A generated file and the size its header states. */
  private record Sample(String what, byte[] bytes, Dimensions size, boolean video) {}

  private static Sample sample(Random r) {
    int kind = r.nextInt(6);
    return switch (kind) {
      case 0 -> {
        int w = 1 + r.nextInt(1 << 20);
        int h = 1 + r.nextInt(1 << 20);
        yield new Sample("png " + w + "x" + h, InputMedia.png(w, h), new Dimensions(w, h), false);
      }
      case 1 -> {
        int w = 1 + r.nextInt(65_535);
        int h = 1 + r.nextInt(65_535);
        int app1 = r.nextInt(4) == 0 ? r.nextInt(200_000) : r.nextInt(2_000);
        yield new Sample(
            "jpeg " + w + "x" + h + " app1=" + app1,
            InputMedia.jpeg(w, h, app1),
            new Dimensions(w, h),
            false);
      }
      case 2 -> {
        int w = 1 + r.nextInt(16_383);
        int h = 1 + r.nextInt(16_383);
        yield new Sample("webp vp8 " + w + "x" + h, InputMedia.webpLossy(w, h), dims(w, h), false);
      }
      case 3 -> {
        int w = 1 + r.nextInt(16_384);
        int h = 1 + r.nextInt(16_384);
        yield new Sample(
            "webp vp8l " + w + "x" + h, InputMedia.webpLossless(w, h), dims(w, h), false);
      }
      case 4 -> {
        int w = 1 + r.nextInt(1 << 24);
        int h = 1 + r.nextInt(1 << 24);
        yield new Sample(
            "webp vp8x " + w + "x" + h, InputMedia.webpExtended(w, h), dims(w, h), false);
      }
      default -> {
        int w = 1 + r.nextInt(16_000);
        int h = 1 + r.nextInt(16_000);
        boolean turn = r.nextBoolean();
        MoovAt at = r.nextBoolean() ? MoovAt.START : MoovAt.END;
        int mdat = r.nextInt(3) == 0 ? r.nextInt(300_000) : r.nextInt(500);
        boolean v1 = r.nextBoolean();
        yield new Sample(
            "mp4 " + w + "x" + h + " turn=" + turn + " moov=" + at + " mdat=" + mdat + " v1=" + v1,
            InputMedia.mp4(w, h, turn, at, mdat, v1),
            dims(w, h),
            true);
      }
    };
  }

  private static Dimensions dims(int w, int h) {
    return new Dimensions(w, h);
  }

  private static Dimensions parse(Sample s, byte[] bytes, boolean wholeFile)
      throws HeaderException, CopyException {
    return s.video()
        ? Mp4Headers.read(ByteSource.of(bytes), 1 << 20)
        : ImageHeaders.read(bytes, wholeFile);
  }

  @Test
  void everyGeneratedHeaderReadsBackAsTheSizeItStates() throws Exception {
    Random r = new Random(SEED);
    for (int i = 0; i < CASES; i++) {
      Sample s = sample(r);
      assertThat(parse(s, s.bytes(), true)).as(s.what()).isEqualTo(s.size());
      assertThat(MediaFormat.sniff(s.bytes()).video()).as(s.what()).isEqualTo(s.video());
      assertThat(MediaFormat.sniff(s.bytes()).image()).as(s.what()).isEqualTo(!s.video());
    }
  }

  @Test
  void aCutShortFileGivesItsSizeOrAClearErrorNeverAnotherException() {
    Random r = new Random(SEED + 1);
    for (int i = 0; i < CASES / 4; i++) {
      Sample s = sample(r);
      int[] cuts = {0, 1, 7, 8, 11, 12, 15, 16, 23, 24, 29, 30, r.nextInt(s.bytes().length + 1)};
      for (int cut : cuts) {
        byte[] prefix = Arrays.copyOf(s.bytes(), Math.min(cut, s.bytes().length));
        for (boolean whole : new boolean[] {true, false}) {
          String as = s.what() + " cut at " + prefix.length + " whole=" + whole;
          try {
            assertThat(parse(s, prefix, whole)).as(as).isEqualTo(s.size());
          } catch (HeaderException e) {
            assertThat(e.getMessage()).as(as).isNotBlank();
            if (!s.video()) {
              assertThat(e.conclusive()).as(as + ": " + e.getMessage()).isEqualTo(whole);
            }
          } catch (Exception e) {
            throw new AssertionError(as + ": " + e, e);
          }
        }
      }
    }
  }

  @Test
  void garbageAndFlippedBitsGiveASizeOrAClearErrorNeverAnotherException() {
    Random r = new Random(SEED + 2);
    for (int i = 0; i < CASES; i++) {
      Sample s = sample(r);
      byte[] bytes = r.nextInt(4) == 0 ? new byte[r.nextInt(2_000)] : s.bytes().clone();
      if (bytes.length != s.bytes().length) {
        r.nextBytes(bytes);
      }
      for (int flips = r.nextInt(8); flips > 0 && bytes.length > 0; flips--) {
        int at = r.nextInt(Math.min(bytes.length, 4_096));
        bytes[at] ^= (byte) (1 << r.nextInt(8));
      }
      for (boolean video : new boolean[] {true, false}) {
        Sample as = new Sample(s.what() + " mangled", bytes, s.size(), video);
        try {
          Dimensions d = parse(as, bytes, true);
          assertThat(d.width()).isPositive();
          assertThat(d.height()).isPositive();
        } catch (HeaderException e) {
          assertThat(e.getMessage()).as(as.what()).isNotBlank();
        } catch (Exception e) {
          throw new AssertionError(as.what() + " video=" + video + ": " + e, e);
        }
      }
    }
  }

  @Test
  void agreesWithImageIoOnRealPngAndJpegFiles() throws Exception {
    Random r = new Random(SEED + 3);
    for (int i = 0; i < 40; i++) {
      int w = 1 + r.nextInt(400);
      int h = 1 + r.nextInt(400);
      String format = i % 2 == 0 ? "png" : "jpeg";
      byte[] file = write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), format);
      assertThat(ImageHeaders.read(file, true))
          .as(format + " " + w + "x" + h)
          .isEqualTo(dims(w, h));
    }
  }

  @Test
  void aQuarterTurnedVideoIsShownUpright() throws Exception {
    byte[] phone = InputMedia.mp4(1080, 1920, true, MoovAt.END, 1_000, false);
    Dimensions d = Mp4Headers.read(ByteSource.of(phone), 1 << 20);
    assertThat(d).isEqualTo(dims(1080, 1920));
    assertThat(d.sixteenByNine(0.01)).isFalse();
  }

  @Test
  void theSixteenByNineRuleHasATolerance() {
    assertThat(dims(1280, 720).sixteenByNine(0)).isTrue();
    assertThat(dims(854, 480).sixteenByNine(0.01)).isTrue();
    assertThat(dims(854, 480).sixteenByNine(0)).isFalse();
    assertThat(dims(640, 480).sixteenByNine(0.01)).isFalse();
    assertThat(dims(1080, 1920).sixteenByNine(0.2)).isFalse();
    assertThatThrownBy(() -> dims(0, 720)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aJpegWhoseHeightComesLaterIsUndecidedNotRefused() {
    byte[] dnl = InputMedia.jpeg(1280, 0, 0);
    assertThatThrownBy(() -> ImageHeaders.read(dnl, true))
        .isInstanceOfSatisfying(HeaderException.class, e -> assertThat(e.conclusive()).isFalse())
        .hasMessageContaining("DNL");
  }

  @Test
  void aMoovTooLargeToReadIsUndecidedNotRefused() {
    byte[] file = InputMedia.mp4(1280, 720, false, MoovAt.END, 100, false);
    assertThatThrownBy(() -> Mp4Headers.read(ByteSource.of(file), 64))
        .isInstanceOfSatisfying(HeaderException.class, e -> assertThat(e.conclusive()).isFalse())
        .hasMessageContaining("moov box of");
  }

  @Test
  void anMp4WithoutMoovIsRefusedClearly() {
    byte[] file = Arrays.copyOf(InputMedia.mp4(1280, 720, false, MoovAt.END, 100, false), 140);
    assertThatThrownBy(() -> Mp4Headers.read(ByteSource.of(file), 1 << 20))
        .isInstanceOfSatisfying(HeaderException.class, e -> assertThat(e.conclusive()).isTrue())
        .hasMessageContaining("moov");
  }

  private static byte[] write(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).isTrue();
    return out.toByteArray();
  }
}
