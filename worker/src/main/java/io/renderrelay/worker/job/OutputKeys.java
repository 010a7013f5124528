package io.renderrelay.worker.job;

import io.renderrelay.avro.JobState;

/** Where a job's outputs go in the bucket: deterministic from the jobId and output prefix. */
@FunctionalInterface
public interface OutputKeys {

  String key(JobState job, OutputKind kind);

  /** The three outputs of a render. */
  enum OutputKind {
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
}
