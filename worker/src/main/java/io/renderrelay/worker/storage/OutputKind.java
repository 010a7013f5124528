package io.renderrelay.worker.storage;

/** The files a finished render produces, with their fixed file names and content types. */
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
}
