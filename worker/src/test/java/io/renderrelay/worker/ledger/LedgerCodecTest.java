package io.renderrelay.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.PollTicket;
import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.avro.TicketKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.junit.jupiter.api.Test;

class LedgerCodecTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final ReleasedSchemas RELEASES = ReleasedSchemas.load();

  @Test
  void decodesAnEntryWrittenByThePreviousReleaseAfterAnOptionalFieldWasAddedToRestyleCommand() {
    Schema previous = previousJobState();
    JobState state = restyleJob("job-1", null);
    byte[] written = OlderSchemas.writeAs(state, previous);

    JobState read = codecKnowing(previous).decode(written);

    assertThat(read).isEqualTo(state);
  }

  @Test
  void decodesEntriesAndTicketsWrittenWithEveryReleasedSchema() {
    JobState state = restyleJob("job-2", "tenant-a/");
    PollTicket ticket = ticket("job-2");
    LedgerCodec ledger = LedgerCodec.current();
    InternalCodec<PollTicket> tickets = InternalCodec.tickets(RELEASES, Optional.empty());

    for (String version : RELEASES.versions()) {
      Map<String, Schema> schemas = RELEASES.version(version);
      byte[] entry = OlderSchemas.writeAs(state, schemas.get("io.renderrelay.avro.JobState"));
      byte[] t = OlderSchemas.writeAs(ticket, schemas.get("io.renderrelay.avro.PollTicket"));

      assertThat(ledger.decode(entry)).as("entry of %s", version).isEqualTo(state);
      assertThat(tickets.decode(t)).as("ticket of %s", version).isEqualTo(ticket);
    }
  }

  @Test
  void readsThePhaseAloneOfEntriesOfEveryReleasedSchemaAndOfAnOlderOne() {
    LedgerCodec ledger = codecKnowing(previousJobState());
    for (JobPhase phase : JobPhase.values()) {
      JobState state = restyleJob("job-" + phase, "tenant-a/");
      state.setPhase(phase);
      for (String version : RELEASES.versions()) {
        byte[] entry =
            OlderSchemas.writeAs(
                state, RELEASES.version(version).get("io.renderrelay.avro.JobState"));
        assertThat(ledger.phase(entry)).as("%s written by %s", phase, version).isEqualTo(phase);
      }
      assertThat(ledger.phase(OlderSchemas.writeAs(state, previousJobState()))).isEqualTo(phase);
      assertThat(ledger.phase(ledger.encode(state))).isEqualTo(phase);
    }
    byte[] newer = OlderSchemas.writeAs(restyleJob("job-n", null), newerJobState());
    assertThatThrownBy(() -> ledger.phase(newer)).isInstanceOf(UnknownWriterSchemaException.class);
  }

  @Test
  void readsThePhaseOfAWriterThatPutsItAfterNestedRecords() {
    // an order where the phase cannot be reached by skipping simple fields: read by projection
    Schema reordered = phaseLast();
    LedgerCodec ledger = codecKnowing(reordered);
    for (JobPhase phase : JobPhase.values()) {
      JobState state = restyleJob("job-" + phase, null);
      state.setPhase(phase);
      assertThat(ledger.phase(OlderSchemas.writeAs(state, reordered))).isEqualTo(phase);
    }
  }

  /** JobState with its phase field moved last (a compatible change: fields resolve by name). */
  static Schema phaseLast() {
    Schema current = JobState.getClassSchema();
    List<Schema.Field> fields = new java.util.ArrayList<>();
    for (Schema.Field f : current.getFields()) {
      if (!f.name().equals("phase")) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    fields.add(new Schema.Field(current.getField("phase"), current.getField("phase").schema()));
    return Schema.createRecord(
        current.getName(), current.getDoc(), current.getNamespace(), false, fields);
  }

  @Test
  void decodesATicketWrittenByThePreviousReleaseAfterTheTicketGainedAField() {
    Schema previous =
        OlderSchemas.without(PollTicket.getClassSchema(), "io.renderrelay.avro.PollTicket", "seq");
    PollTicket ticket = PollTicket.newBuilder(ticket("job-3")).setSeq(0).build();

    PollTicket read =
        new InternalCodec<PollTicket>(PollTicket.getClassSchema(), with(previous), Optional.empty())
            .decode(OlderSchemas.writeAs(ticket, previous));

    assertThat(read).isEqualTo(ticket);
  }

  /** JobState as a later release with an added field would write it. */
  static Schema newerJobState() {
    return new Schema.Parser()
        .parse(
            JobState.getClassSchema()
                .toString()
                .replace(
                    "{\"name\":\"outcome\",",
                    "{\"name\":\"priority\",\"type\":\"int\",\"default\":0},"
                        + "{\"name\":\"outcome\","));
  }

  @Test
  void theWriterCheckKnowsReleasedSchemasAndRefusesNewerOnes() {
    LedgerCodec codec = LedgerCodec.current();
    codec.checkWriter(codec.encode(restyleJob("job-6", null)));
    byte[] newer = OlderSchemas.writeAs(restyleJob("job-6", null), newerJobState());

    assertThatThrownBy(() -> codec.checkWriter(newer))
        .isInstanceOf(UnknownWriterSchemaException.class);
    assertThatThrownBy(() -> codec.checkWriter(new byte[] {1, 2, 3}))
        .hasMessageContaining("not a single-object encoded");
  }

  @Test
  void anEntryOfANewerReleaseIsRefusedWithAClearErrorNotMisread() {
    byte[] written = OlderSchemas.writeAs(restyleJob("job-4", null), newerJobState());

    assertThatThrownBy(() -> LedgerCodec.current().decode(written))
        .isInstanceOf(UnknownWriterSchemaException.class)
        .hasMessageContaining("io.renderrelay.avro.JobState")
        .hasMessageContaining("a newer release wrote it")
        .hasMessageContaining(RELEASES.versions().getLast());
  }

  @Test
  void writingWithAnOlderReleasedVersionLetsThatReleaseReadTheEntry() throws Exception {
    Schema previous = previousJobState();
    ReleasedSchemas both = with(previous);
    InternalCodec<JobState> upgrading =
        new InternalCodec<JobState>(JobState.getClassSchema(), both, Optional.of("0.0.9"));
    JobState state = restyleJob("job-5", "dropped-by-the-old-schema/");

    byte[] written = upgrading.encode(state);

    assertThat(upgrading.writeSchema()).isEqualTo(previous);
    // the previous release knows only its own schema: the fingerprint must be that one
    GenericRecord asOld =
        new BinaryMessageDecoder<GenericRecord>(GenericData.get(), previous).decode(written);
    assertThat(asOld.get("taskId")).hasToString("task-1");
    assertThat(upgrading.decode(written).getRestyle().getOutputPrefix()).isNull();
    assertThat(upgrading.decode(written).getTaskId()).isEqualTo("task-1");
  }

  @Test
  void anUnknownWriteVersionIsRefusedAtStart() {
    assertThatThrownBy(() -> InternalCodec.jobStates(RELEASES, Optional.of("9.9.9")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9.9.9")
        .hasMessageContaining(RELEASES.versions().getFirst());
  }

  /** JobState as a release before RestyleCommand.outputPrefix was added wrote it. */
  static Schema previousJobState() {
    return OlderSchemas.without(
        JobState.getClassSchema(), "io.renderrelay.avro.RestyleCommand", "outputPrefix");
  }

  static LedgerCodec codecKnowing(Schema previous) {
    return new LedgerCodec(
        new InternalCodec<JobState>(JobState.getClassSchema(), with(previous), Optional.empty()));
  }

  /** The real releases plus a pretend older release 0.0.9 holding {@code schema}. */
  static ReleasedSchemas with(Schema schema) {
    return RELEASES.withOlder("0.0.9", List.of(schema));
  }

  static PollTicket ticket(String jobId) {
    return PollTicket.newBuilder()
        .setJobId(jobId)
        .setKind(TicketKind.SCHEDULED)
        .setSeq(3)
        .setDueAt(T0.plusSeconds(30))
        .setIssuedAt(T0)
        .build();
  }

  static JobState restyleJob(String jobId, String outputPrefix) {
    RestyleCommand cmd =
        RestyleCommand.newBuilder()
            .setJobId(jobId)
            .setSourceVideoUrl("https://media.example.com/in.mp4")
            .setPrompt("pixelated style")
            .setOptions(RestyleOptions.newBuilder().build())
            .setOutputPrefix(outputPrefix)
            .setMetadata(Map.of("tenant", "t1"))
            .setRequestedAt(T0)
            .build();
    return JobState.newBuilder()
        .setJobId(jobId)
        .setJobType(JobType.RESTYLE)
        .setPhase(JobPhase.POLLING)
        .setRestyle(cmd)
        .setTaskId("task-1")
        .setSubmitAttempts(1)
        .setCreatedAt(T0)
        .setUpdatedAt(T0)
        .setDeadline(T0.plusSeconds(7200))
        .build();
  }
}
