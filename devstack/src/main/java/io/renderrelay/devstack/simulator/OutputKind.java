package io.renderrelay.devstack.simulator;

import java.util.Optional;

/** The three files a succeeded task serves under {@code /files/{taskId}/}. */
public enum OutputKind {
  VIDEO("video.mp4", "video/mp4"),
  POSTER("poster.png", "image/png"),
  LAST_FRAME("last_frame.png", "image/png");

  private final String fileName;
  private final String contentType;

  OutputKind(String fileName, String contentType) {
    this.fileName = fileName;
    this.contentType = contentType;
  }

  public String fileName() {
    return fileName;
  }

  public String contentType() {
    return contentType;
  }

  /** The kind served under {@code fileName}, if any. */
  static Optional<OutputKind> ofFileName(String fileName) {
    for (OutputKind kind : values()) {
      if (kind.fileName.equals(fileName)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
