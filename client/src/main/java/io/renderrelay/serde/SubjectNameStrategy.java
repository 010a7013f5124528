package io.renderrelay.serde;

/** TEMP stand-in: the real subject name strategy lands from the serde branch. */
public enum SubjectNameStrategy {
  TOPIC_NAME,
  RECORD_NAME,
  TOPIC_RECORD_NAME;
}
