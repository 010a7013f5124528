package io.renderrelay.worker.preflight;

import io.renderrelay.worker.config.WorkerConfig.PreflightSettings;
import io.renderrelay.worker.storage.CopyException;
import io.renderrelay.worker.storage.SafeDownloader;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks one input URL: reachable (first ranged GET), size (the total from Content-Range or
 * Content-Length), type (the declared Content-Type's family and the first bytes), and where asked
 * the 16:9 rule from the image header or the MP4/QuickTime track header.
 */
final class InputCheck {

  /** The first ranged GET of every input. */
  static final int HEAD_BYTES = 64 * 1024;

  /**
   * One input of a job.
   *
   * @param field the command field, named in every message (the URL itself may be signed)
   * @param image an image (PNG, JPEG, WebP) rather than a video
   * @param sixteenByNine the provider takes it only in 16:9
   */
  record Input(String field, URI url, boolean image, boolean sixteenByNine) {
    String kind() {
      return image ? "an image" : "a video";
    }
  }

  private final SafeDownloader downloader;
  private final PreflightSettings settings;

  InputCheck(SafeDownloader downloader, PreflightSettings settings) {
    this.downloader = downloader;
    this.settings = settings;
  }

  Verdict check(Input in) {
    HttpByteSource src =
        new HttpByteSource(downloader, in.url(), settings.maxReadBytes(), settings.timeout());
    try {
      byte[] head = src.open((int) Math.min(HEAD_BYTES, settings.maxReadBytes()));
      Optional<Verdict> refused = sizeAndType(in, src, head);
      if (refused.isPresent()) {
        return refused.get();
      }
      return in.sixteenByNine() ? ratio(in, src, head) : new Verdict.Passed(java.util.List.of());
    } catch (CopyException.Retryable e) {
      return new Verdict.Transient(in.field() + ": " + InputMessages.reword(e));
    } catch (CopyException e) {
      return new Verdict.Rejected(Rule.REACHABLE, in.field() + ": " + InputMessages.reword(e));
    }
  }

  private Optional<Verdict> sizeAndType(Input in, HttpByteSource src, byte[] head) {
    String at = in.field() + " (at " + src.host() + ")";
    long total = src.totalLength().orElse(-1);
    if (total == 0 || head.length == 0) {
      return Optional.of(new Verdict.Rejected(Rule.SIZE, at + " is empty"));
    }
    if (total > settings.maxInputBytes()) {
      return Optional.of(
          new Verdict.Rejected(
              Rule.SIZE,
              at
                  + " is "
                  + total
                  + " bytes, more than the provider takes ("
                  + settings.maxInputBytes()
                  + ", preflight.max-input-bytes)"));
    }
    String declared =
        src.contentType().map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).orElse("");
    String family = in.image() ? "image/" : "video/";
    if (!declared.startsWith(family) && !generic(declared)) {
      return Optional.of(
          new Verdict.Rejected(Rule.TYPE, at + " is served as " + declared + ", not " + in.kind()));
    }
    MediaFormat format = MediaFormat.sniff(head);
    boolean wrongFamily = in.image() ? format.video() : format.image();
    if (format == MediaFormat.MARKUP || wrongFamily) {
      String what = format == MediaFormat.MARKUP ? "an HTML/XML page" : format + " data";
      return Optional.of(
          new Verdict.Rejected(Rule.TYPE, at + " is " + what + ", not " + in.kind()));
    }
    return Optional.empty();
  }

  private static boolean generic(String declared) {
    return declared.isEmpty()
        || declared.equals("application/octet-stream")
        || declared.equals("binary/octet-stream");
  }

  private Verdict ratio(Input in, HttpByteSource src, byte[] head) throws CopyException {
    String at = in.field() + " (at " + src.host() + ")";
    try {
      Dimensions d;
      if (in.image()) {
        d = image(src, head);
      } else if (MediaFormat.sniff(head) == MediaFormat.MP4) {
        d = Mp4Headers.read(src, (int) settings.maxReadBytes());
      } else {
        return unchecked(at + ": 16:9 not checked for this video format");
      }
      if (!d.sixteenByNine(settings.ratioTolerance())) {
        return new Verdict.Rejected(
            Rule.RATIO,
            String.format(
                Locale.ROOT,
                "%s is %s (%.3f:1), not 16:9: the provider accepts only 16:9 act-one assets",
                at,
                d,
                (double) d.width() / d.height()));
      }
      return new Verdict.Passed(java.util.List.of());
    } catch (HeaderException e) {
      return e.conclusive()
          ? new Verdict.Rejected(Rule.TYPE, at + ": " + e.getMessage())
          : unchecked(at + ": 16:9 not checked: " + e.getMessage());
    }
  }

  /** The image size from the head, or from a longer read when a JPEG's EXIF pushes it further. */
  private Dimensions image(HttpByteSource src, byte[] head) throws HeaderException, CopyException {
    try {
      return ImageHeaders.read(head, src.wholeFileInHead());
    } catch (HeaderException e) {
      if (e.conclusive()) {
        throw e;
      }
      long more = Math.min(settings.maxReadBytes(), src.totalLength().orElse(Long.MAX_VALUE));
      if (more <= head.length) {
        throw e;
      }
      byte[] longer = src.read(0, (int) more);
      return ImageHeaders.read(
          longer,
          longer.length < more
              || src.totalLength().isPresent() && longer.length >= src.totalLength().getAsLong());
    }
  }

  private static Verdict unchecked(String why) {
    return new Verdict.Passed(java.util.List.of(why));
  }
}
