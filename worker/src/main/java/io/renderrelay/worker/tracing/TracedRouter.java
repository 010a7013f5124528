package io.renderrelay.worker.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.renderrelay.worker.engine.Lease;
import io.renderrelay.worker.engine.RecordRouter;
import io.renderrelay.worker.engine.Step;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.engine.Work;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Runs every step of the job logic in a span: {@code intake} for a command, {@code poll} for a poll
 * ticket, {@code submit} for the steps that follow (the paid submit and its retries). The parent is
 * the context the consumed record carries: the caller's {@code traceparent} on a command, and on a
 * ticket the same command context, which this router copies into every ticket and ledger record a
 * step writes. So a job that lives across many records and hours stays one trace, each stage a
 * child of the caller's span. Events get the context of an {@code event} span (a downstream
 * consumer continues from it), dead letters that of the step's span. While a step runs, its span is
 * current (provider calls and copies are its children) and its ids are in the logging MDC.
 */
public final class TracedRouter implements RecordRouter {

  /** Job contexts kept for records that carry none (callback tickets): bounded, oldest out. */
  static final int RECENT_JOBS = 20_000;

  /** The estimated heap those contexts may hold (a few hundred bytes each without baggage). */
  static final long RECENT_JOBS_HEAP_BYTES = 32L * 1024 * 1024;

  private static final int MAX_JOB_ID_BYTES = 1024;

  private final RecentJobContexts recent =
      new RecentJobContexts(RECENT_JOBS, RECENT_JOBS_HEAP_BYTES);
  private final RecordRouter delegate;
  private final Tracer tracer;
  private final Set<String> commandTopics;
  private final String eventsTopic;
  private final String deadLetterTopic;

  public TracedRouter(
      RecordRouter delegate,
      Tracer tracer,
      Set<String> commandTopics,
      String eventsTopic,
      String deadLetterTopic) {
    this.delegate = delegate;
    this.tracer = tracer;
    this.commandTopics = Set.copyOf(commandTopics);
    this.eventsTopic = eventsTopic;
    this.deadLetterTopic = deadLetterTopic;
  }

  @Override
  public Step route(ConsumerRecord<byte[], byte[]> record, Lease lease) {
    String stage = commandTopics.contains(record.topic()) ? "intake" : "poll";
    return traced(stage, jobContext(record), record, delegate.route(record, lease));
  }

  /**
   * The job's context: the record's, else (a callback's poll-now ticket, written outside any step)
   * the one last seen for its jobId in this process; the root context for neither.
   */
  private Context jobContext(ConsumerRecord<byte[], byte[]> record) {
    Context carried = KafkaHeaders.extract(record.headers());
    String jobId = jobId(record);
    if (hasSpan(carried)) {
      if (jobId != null) {
        recent.put(jobId, carried, traceHeaderBytes(record));
      }
      return carried;
    }
    return jobId == null ? carried : recent.getOrDefault(jobId, carried);
  }

  /** The context remembered for {@code jobId} (root if none): for tests. */
  Context rememberedContext(String jobId) {
    return recent.getOrDefault(jobId, Context.root());
  }

  private static long traceHeaderBytes(ConsumerRecord<byte[], byte[]> record) {
    long n = 0;
    for (String name : KafkaHeaders.NAMES) {
      var h = record.headers().lastHeader(name);
      n += h == null || h.value() == null ? 0 : h.value().length;
    }
    return n;
  }

  private static boolean hasSpan(Context context) {
    return Span.fromContext(context).getSpanContext().isValid();
  }

  private static String jobId(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null || record.key().length > MAX_JOB_ID_BYTES
        ? null
        : new String(record.key(), StandardCharsets.UTF_8);
  }

  @Override
  public StepResult giveUp(Work work, Throwable error) {
    ConsumerRecord<byte[], byte[]> record = work.record();
    Context job = jobContext(record);
    Span span = start("give-up", job, record);
    Spans.failed(span, error);
    try (TraceMdc ignored = TraceMdc.enter(job, span)) {
      return propagate(delegate.giveUp(work, error), job, span, record);
    } finally {
      span.end();
    }
  }

  private Step traced(
      String stage, Context carried, ConsumerRecord<byte[], byte[]> record, Step step) {
    return () -> {
      Span span = start(stage, carried, record);
      // a command without a trace context starts one: its intake span is the job's root
      Context job = hasSpan(carried) ? carried : Context.root().with(span);
      String jobId = jobId(record);
      if (jobId != null && !hasSpan(carried)) {
        // only the root span's ids: the span object itself (attributes, timings) stays with the
        // exporter, not in up to RECENT_JOBS remembered contexts
        recent.put(jobId, Context.root().with(Span.wrap(span.getSpanContext())), 0);
      }
      try (TraceMdc ignored = TraceMdc.enter(job, span)) {
        return propagate(step.run(), job, span, record);
      } catch (Exception | Error e) {
        Spans.failed(span, e);
        throw e;
      } finally {
        span.end();
      }
    };
  }

  private Span start(String stage, Context job, ConsumerRecord<byte[], byte[]> record) {
    Span span =
        tracer
            .spanBuilder(stage)
            .setParent(job)
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("messaging.system", "kafka")
            .setAttribute("messaging.destination.name", record.topic())
            .setAttribute("messaging.kafka.destination.partition", (long) record.partition())
            .setAttribute("messaging.kafka.offset", record.offset())
            .startSpan();
    String jobId = jobId(record);
    if (jobId != null) {
      span.setAttribute("render_relay.job_id", jobId);
    }
    return span;
  }

  /** Puts the trace context into every record of the result and traces its follow-up step. */
  private StepResult propagate(
      StepResult result, Context job, Span span, ConsumerRecord<byte[], byte[]> source) {
    Context current = job.with(span); // baggage and tracestate of the job, this step's span
    for (ProducerRecord<byte[], byte[]> r : result.records()) {
      if (r.topic().equals(eventsTopic)) {
        Span event =
            tracer
                .spanBuilder("event")
                .setParent(current)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", r.topic())
                .startSpan();
        KafkaHeaders.inject(current.with(event), r.headers());
        event.end();
      } else if (r.topic().equals(deadLetterTopic)) {
        KafkaHeaders.inject(current, r.headers());
      } else {
        KafkaHeaders.inject(job, r.headers());
      }
    }
    if (result.next().isEmpty()) {
      return result;
    }
    Step next = traced("submit", job, source, result.next().get());
    return new StepResult(
        result.records(),
        result.ledger(),
        result.sourceDone(),
        java.util.Optional.of(next),
        result.nextDelay());
  }
}
