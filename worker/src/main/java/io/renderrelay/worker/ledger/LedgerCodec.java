package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.ReleasedSchemas;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Encodes ledger entries with Avro's single-object encoding (a schema fingerprint and the binary
 * body): the ledger is internal, so it needs no registry round trip. Entries written by any
 * released version decode after a compatible schema change (see {@link InternalCodec}).
 */
public final class LedgerCodec {

  /** The part of JobState {@link #phase} reads: the other fields are skipped, not decoded. */
  private static final Schema PHASE_ONLY =
      Schema.createRecord(
          JobState.getClassSchema().getName(),
          null,
          JobState.getClassSchema().getNamespace(),
          false,
          List.of(
              new Schema.Field(
                  "phase", JobState.getClassSchema().getField("phase").schema(), null, null)));

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

  /**
   * The phase of an encoded entry, without building the rest of it (the restore counts the jobs in
   * POLLING of every entry it stores).
   */
  public JobPhase phase(byte[] bytes) {
    String symbol = codec.enumSymbol(bytes, "phase", PHASE_ONLY);
    try {
      return JobPhase.valueOf(symbol);
    } catch (IllegalArgumentException e) {
      // a symbol the current enum resolves to its default
      return JobPhase.valueOf(codec.project(bytes, PHASE_ONLY).get("phase").toString());
    }
  }

  public JobState decode(byte[] bytes) {
    return codec.decode(bytes);
  }
}
