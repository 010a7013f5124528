package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Encodes ledger entries with Avro's single-object encoding (a schema fingerprint and the binary
 * body): the ledger is internal, so it needs no registry round trip, and old entries still decode
 * after a compatible schema change.
 */
public final class LedgerCodec {

  public byte[] encode(JobState state) {
    try {
      ByteBuffer buffer = JobState.getEncoder().encode(state);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode ledger entry of " + state.getJobId(), e);
    }
  }

  public JobState decode(byte[] bytes) {
    try {
      return JobState.getDecoder().decode(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot decode a ledger entry (" + bytes.length + " bytes)", e);
    }
  }
}
