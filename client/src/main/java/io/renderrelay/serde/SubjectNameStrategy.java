package io.renderrelay.serde;

/** TEMP stand-in (the serde helper writes the real one). */
public enum SubjectNameStrategy {
  TOPIC_NAME,
  RECORD_NAME,
  TOPIC_RECORD_NAME;
}
