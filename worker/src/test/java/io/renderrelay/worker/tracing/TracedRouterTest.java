package io.renderrelay.worker.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.renderrelay.worker.engine.RecordRouter;
import io.renderrelay.worker.engine.Step;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.engine.Work;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The trace context of a job across its steps and records; the ids in the MDC. */
class TracedRouterTest {

  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CALLER_SPAN = "00f067aa0ba902b7";
  static final String TRACEPARENT = "00-" + TRACE + "-" + CALLER_SPAN + "-01";

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  final List<Map<String, String>> mdcSeen = new ArrayList<>();
  final AtomicReference<Step> continuation = new AtomicReference<>();

  @AfterEach
  void close() {
    provider.close();
  }

  /** A job step writing a ledger entry, a ticket, an event and a dead letter, then a follow-up. */
  final RecordRouter jobLogic =
      new RecordRouter() {
        @Override
        public Step route(ConsumerRecord<byte[], byte[]> r, io.renderrelay.worker.engine.Lease l) {
          return () -> {
            mdcSeen.add(MDC.getCopyOfContextMap());
            ProducerRecord<byte[], byte[]> dead = record("render.dlt");
            r.headers().forEach(h -> dead.headers().add(h)); // a DLT record copies the original's
            return StepResult.builder()
                .record(record("render.jobs"))
                .record(record("render.poll.10s"))
                .record(record("render.events"))
                .record(dead)
                .then(
                    () -> {
                      mdcSeen.add(MDC.getCopyOfContextMap());
                      return StepResult.done();
                    },
                    Duration.ZERO);
          };
        }

        @Override
        public StepResult giveUp(Work work, Throwable error) {
          return StepResult.done();
        }
      };

  final TracedRouter router =
      new TracedRouter(
          jobLogic,
          provider.get("test"),
          Set.of("render.commands.restyle"),
          "render.events",
          "render.dlt");

  @Test
  void aCommandsTraceParentReachesEveryStageAndRecord() throws Exception {
    ConsumerRecord<byte[], byte[]> command = consumed("render.commands.restyle", "job-1");
    add(command.headers(), "traceparent", TRACEPARENT);
    add(command.headers(), "tracestate", "vendor=opaque");
    add(command.headers(), "baggage", "tenant=acme");

    StepResult result = router.route(command, null).run();
    result.next().orElseThrow().run();

    SpanData intake = span("intake");
    assertThat(intake.getTraceId()).isEqualTo(TRACE);
    assertThat(intake.getParentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(intake.getKind()).isEqualTo(SpanKind.CONSUMER);
    SpanData event = span("event");
    assertThat(event.getParentSpanId()).isEqualTo(intake.getSpanId());
    SpanData submit = span("submit");
    assertThat(submit.getParentSpanId()).as("a sibling of intake").isEqualTo(CALLER_SPAN);

    Map<String, Headers> out = byTopic(result.records());
    assertThat(header(out.get("render.events"), "traceparent"))
        .startsWith("00-" + TRACE + "-" + event.getSpanId() + "-");
    assertThat(header(out.get("render.events"), "tracestate")).isEqualTo("vendor=opaque");
    assertThat(header(out.get("render.events"), "baggage")).isEqualTo("tenant=acme");
    assertThat(header(out.get("render.poll.10s"), "traceparent"))
        .as("tickets carry the command's context, so every poll is a child of the caller")
        .isEqualTo(TRACEPARENT);
    assertThat(header(out.get("render.jobs"), "traceparent")).isEqualTo(TRACEPARENT);
    assertThat(out.get("render.dlt").headers("traceparent"))
        .as("the copied header is replaced, not doubled")
        .hasSize(1);
    assertThat(header(out.get("render.dlt"), "traceparent"))
        .startsWith("00-" + TRACE + "-" + intake.getSpanId() + "-");

    assertThat(mdcSeen.get(0))
        .containsEntry("trace_id", TRACE)
        .containsEntry("span_id", intake.getSpanId());
    assertThat(mdcSeen.get(1)).containsEntry("span_id", submit.getSpanId());
    assertThat(MDC.get("trace_id")).as("restored after the step").isNull();
  }

  @Test
  void aCommandWithoutContextStartsATraceThatItsTicketsAndCallbacksContinue() throws Exception {
    StepResult intake = router.route(consumed("render.commands.restyle", "job-2"), null).run();
    SpanData root = span("intake");
    assertThat(root.getParentSpanContext().isValid()).isFalse();
    Headers ticketHeaders = byTopic(intake.records()).get("render.poll.10s");
    assertThat(header(ticketHeaders, "traceparent"))
        .startsWith("00-" + root.getTraceId() + "-" + root.getSpanId() + "-");

    ConsumerRecord<byte[], byte[]> ticket = consumed("render.poll.10s", "job-2");
    ticketHeaders.forEach(h -> ticket.headers().add(h));
    router.route(ticket, null).run();
    // a callback's poll-now ticket is written outside any step: no headers
    router.route(consumed("render.poll-now", "job-2"), null).run();

    List<SpanData> polls =
        spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("poll")).toList();
    assertThat(polls).hasSize(2);
    assertThat(polls)
        .allSatisfy(
            p -> {
              assertThat(p.getTraceId()).isEqualTo(root.getTraceId());
              assertThat(p.getParentSpanId()).isEqualTo(root.getSpanId());
            });
  }

  // issue 15 (in-flight heap): the context remembered for a job without a caller's trace held the
  // job's ended intake span itself (its attributes, name and timings: the SDK's whole span), one
  // per job for up to RECENT_JOBS jobs; only its ids are needed to parent later spans.
  @Test
  void theContextRememberedForAJobHoldsItsRootSpansIdsNotTheEndedSpan() throws Exception {
    router.route(consumed("render.commands.restyle", "job-3"), null).run();
    SpanData root = span("intake");

    Span remembered = Span.fromContext(router.rememberedContext("job-3"));
    assertThat(remembered).isNotInstanceOf(io.opentelemetry.sdk.trace.ReadableSpan.class);
    assertThat(remembered.isRecording()).isFalse();
    assertThat(remembered.getSpanContext()).isEqualTo(root.getSpanContext());
  }

  // review rv6b: a callback's poll-now ticket that comes before the job's first ticket is parented
  // by the remembered ids alone. The job stays one trace with the root's flags, its records and
  // MDC carry it, and the poll span is timed on a clock of its own: the SDK times a child of a
  // recording span on that span's clock (AnchoredClock: the wall time at its start plus the
  // monotonic time since), which for the remembered intake span was the intake's, minutes or hours
  // before, however the wall clock was corrected since (an NTP step, a VM resumed).
  @Test
  void aCallbackBeforeTheFirstTicketContinuesTheJobsTraceTimedByTheWallClockOfItsPoll()
      throws Exception {
    SteppedClock clock = new SteppedClock();
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    try (SdkTracerProvider timed =
        SdkTracerProvider.builder()
            .setClock(clock)
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .build()) {
      TracedRouter traced =
          new TracedRouter(
              jobLogic,
              timed.get("test"),
              Set.of("render.commands.restyle"),
              "render.events",
              "render.dlt");
      traced.route(consumed("render.commands.restyle", "job-6"), null).run();
      clock.wallSeconds += 300; // the wall clock corrected by five minutes meanwhile
      clock.monotonicSeconds += 1;
      mdcSeen.clear();
      StepResult poll = traced.route(consumed("render.poll-now", "job-6"), null).run();

      SpanData root = named(exported, "intake");
      SpanData callbackPoll = named(exported, "poll");
      assertThat(callbackPoll.getTraceId()).isEqualTo(root.getTraceId());
      assertThat(callbackPoll.getParentSpanId()).isEqualTo(root.getSpanId());
      assertThat(callbackPoll.getStartEpochNanos())
          .as("the poll's start: the wall clock now, not the intake's start plus 1 s")
          .isEqualTo(clock.now());
      String flags = "-" + root.getSpanContext().getTraceFlags().asHex(); // sampled, random id
      Map<String, Headers> out = byTopic(poll.records());
      assertThat(header(out.get("render.poll.10s"), "traceparent"))
          .isEqualTo("00-" + root.getTraceId() + "-" + root.getSpanId() + flags);
      assertThat(header(out.get("render.jobs"), "traceparent"))
          .isEqualTo("00-" + root.getTraceId() + "-" + root.getSpanId() + flags);
      assertThat(header(out.get("render.dlt"), "traceparent"))
          .isEqualTo("00-" + root.getTraceId() + "-" + callbackPoll.getSpanId() + flags);
      assertThat(header(out.get("render.events"), "traceparent"))
          .startsWith("00-" + root.getTraceId() + "-")
          .endsWith(flags);
      assertThat(mdcSeen.get(0))
          .containsEntry("trace_id", root.getTraceId())
          .containsEntry("span_id", callbackPoll.getSpanId());
    }
  }

  // review rv6b: a job its root span's sampler dropped stays dropped on a callback: the remembered
  // ids keep the root's flags (sampled bit off), so a parent-based sampler drops the callback's
  // poll
  // too and its records carry the bit off.
  @Test
  void anUnsampledJobsCallbackStaysUnsampled() throws Exception {
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    try (SdkTracerProvider dropping =
        SdkTracerProvider.builder()
            .setSampler(
                io.opentelemetry.sdk.trace.samplers.Sampler.parentBased(
                    io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOff()))
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .build()) {
      TracedRouter traced =
          new TracedRouter(
              jobLogic,
              dropping.get("test"),
              Set.of("render.commands.restyle"),
              "render.events",
              "render.dlt");
      StepResult intake = traced.route(consumed("render.commands.restyle", "job-7"), null).run();
      String rootParent = header(byTopic(intake.records()).get("render.poll.10s"), "traceparent");
      assertThat(sampled(rootParent)).as(rootParent).isFalse();

      StepResult poll = traced.route(consumed("render.poll-now", "job-7"), null).run();

      assertThat(header(byTopic(poll.records()).get("render.poll.10s"), "traceparent"))
          .as("the same trace, parent and flags as the intake's ticket")
          .isEqualTo(rootParent);
      for (ProducerRecord<byte[], byte[]> r : poll.records()) {
        String traceparent = header(r.headers(), "traceparent");
        assertThat(traceparent).as(r.topic()).startsWith(rootParent.substring(0, 36));
        assertThat(sampled(traceparent)).as(r.topic() + " " + traceparent).isFalse();
      }
      assertThat(exported.getFinishedSpanItems()).isEmpty();
    }
  }

  /** Whether a traceparent's flags have the sampled bit. */
  private static boolean sampled(String traceparent) {
    return (Integer.parseInt(traceparent.substring(traceparent.length() - 2), 16) & 1) == 1;
  }

  /** An SDK clock whose wall time can be stepped apart from its monotonic time. */
  private static final class SteppedClock implements io.opentelemetry.sdk.common.Clock {
    long wallSeconds = 1_800_000_000L;
    long monotonicSeconds = 1_000L;

    @Override
    public long now() {
      return wallSeconds * 1_000_000_000L;
    }

    @Override
    public long nanoTime() {
      return monotonicSeconds * 1_000_000_000L;
    }
  }

  private static SpanData named(InMemorySpanExporter exporter, String name) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name));
  }

  @Test
  void withoutARecordingTracerNothingBreaks() throws Exception {
    TracedRouter noop =
        new TracedRouter(
            jobLogic,
            io.opentelemetry.api.OpenTelemetry.noop().getTracer("x"),
            Set.of("render.commands.restyle"),
            "render.events",
            "render.dlt");
    ConsumerRecord<byte[], byte[]> command = consumed("render.commands.restyle", "job-3");
    add(command.headers(), "traceparent", TRACEPARENT);
    StepResult result = noop.route(command, null).run();
    assertThat(header(byTopic(result.records()).get("render.events"), "traceparent"))
        .as("a no-op tracer still propagates the caller's context")
        .isEqualTo(TRACEPARENT);
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }

  /**
   * Bad or oversized trace headers are ignored or cut to the W3C limits: the step runs, its records
   * carry a valid context and at most ~9 KB of trace headers, whatever the command brought.
   */
  @Test
  void badOrHugeTraceHeadersAreIgnoredOrBoundedNeverFailTheStep() throws Exception {
    ConsumerRecord<byte[], byte[]> command = consumed("render.commands.restyle", "job-4");
    command.headers().add("traceparent", new byte[] {'0', '0', '-', (byte) 0xff, (byte) 0xfe});
    add(command.headers(), "tracestate", "v=" + "x".repeat(100_000));
    StringBuilder baggage = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      baggage
          .append(i == 0 ? "" : ",")
          .append("k")
          .append(i)
          .append("=")
          .append("\u00e9".repeat(60));
    }
    add(command.headers(), "baggage", baggage.toString());
    command.headers().add("baggage", new byte[] {(byte) 0xc3, (byte) 0x28});

    StepResult result = router.route(command, null).run();

    SpanData intake = span("intake");
    assertThat(intake.getParentSpanContext().isValid()).as("a new root trace").isFalse();
    for (ProducerRecord<byte[], byte[]> r : result.records()) {
      long traceBytes = 0;
      for (String name : KafkaHeaders.NAMES) {
        assertThat(r.headers().headers(name))
            .as(r.topic() + " " + name)
            .hasSizeLessThanOrEqualTo(1);
        var h = r.headers().lastHeader(name);
        traceBytes += h == null ? 0 : h.value().length;
      }
      assertThat(traceBytes).as(r.topic()).isLessThanOrEqualTo(9 * 1024);
      assertThat(header(r.headers(), "traceparent")).startsWith("00-" + intake.getTraceId());
    }
  }

  /**
   * Exported spans bypass the log redaction: an exception's free text (which may quote a secret, as
   * the log canary test assumes) must not reach a span's status, attributes or events.
   */
  @Test
  void aFailingStepsExceptionTextNeverReachesAnExportedSpan() {
    String canary = "api_key=sk-canary-5f1e Bearer tok-canary-77";
    TracedRouter failing =
        new TracedRouter(
            new RecordRouter() {
              @Override
              public Step route(
                  ConsumerRecord<byte[], byte[]> r, io.renderrelay.worker.engine.Lease l) {
                return () -> {
                  throw new IllegalStateException(canary);
                };
              }

              @Override
              public StepResult giveUp(Work work, Throwable error) {
                return StepResult.done();
              }
            },
            provider.get("test"),
            Set.of("render.commands.restyle"),
            "render.events",
            "render.dlt");
    ConsumerRecord<byte[], byte[]> command = consumed("render.commands.restyle", "job-5");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.route(command, null).run())
        .hasMessage(canary);
    failing.giveUp(Work.first(command, "job-5", null, null), new IllegalStateException(canary));

    assertThat(spans.getFinishedSpanItems()).hasSize(2);
    for (SpanData s : spans.getFinishedSpanItems()) {
      assertThat(s.getStatus().getStatusCode())
          .isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
      assertThat(s.toString()).as(s.getName()).doesNotContain("canary");
    }
    assertThat(span("intake").getEvents())
        .extracting(
            e ->
                e.getAttributes()
                    .get(io.opentelemetry.api.common.AttributeKey.stringKey("exception.type")))
        .containsExactly(IllegalStateException.class.getName());
  }

  private SpanData span(String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems()));
  }

  private static ConsumerRecord<byte[], byte[]> consumed(String topic, String key) {
    return new ConsumerRecord<>(
        topic, 3, 42L, key.getBytes(StandardCharsets.UTF_8), new byte[] {1});
  }

  private static ProducerRecord<byte[], byte[]> record(String topic) {
    return new ProducerRecord<>(topic, 3, "job".getBytes(StandardCharsets.UTF_8), new byte[] {1});
  }

  private static Map<String, Headers> byTopic(List<ProducerRecord<byte[], byte[]>> records) {
    Map<String, Headers> out = new java.util.HashMap<>();
    records.forEach(r -> out.put(r.topic(), r.headers()));
    return out;
  }

  private static void add(Headers headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String header(Headers headers, String key) {
    var h = headers.lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
