package io.renderrelay.worker.dlt;

/** Why a record went to the dead-letter topic: a closed, bounded set (also a metric tag). */
public enum DeadLetterReason {
  NULL_KEY,
  NULL_VALUE,
  UNDECODABLE,
  UNKNOWN_SCHEMA,
  WRONG_RECORD_TYPE,
  KEY_MISMATCH,
  INVALID_COMMAND,
  AMBIGUOUS_SUBMIT,
  UNDECODABLE_TICKET,
  PROCESSING_ERROR
}
