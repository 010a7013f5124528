package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobState;
import io.renderrelay.avro.ReleasedSchemas;
import java.util.Optional;

/**
 * Encodes ledger entries with Avro's single-object encoding (a schema fingerprint and the binary
 * body): the ledger is internal, so it needs no registry round trip. Entries written by any
 * released version decode after a compatible schema change (see {@link InternalCodec}).
 */
public final class LedgerCodec {

  private final InternalCodec<JobState> codec;

  public LedgerCodec(InternalCodec<JobState> codec) {
    this.codec = codec;
  }

  /** Reads every released version, writes the current schema. */
  public static LedgerCodec current() {
    return new LedgerCodec(InternalCodec.jobStates(ReleasedSchemas.load(), Optional.empty()));
  }

  public byte[] encode(JobState state) {
    return codec.encode(state);
  }

  /** Checks the entry's writer schema is readable here, without decoding it. */
  public void checkWriter(byte[] bytes) {
    codec.checkWriter(bytes);
  }

  public JobState decode(byte[] bytes) {
    return codec.decode(bytes);
  }
}
