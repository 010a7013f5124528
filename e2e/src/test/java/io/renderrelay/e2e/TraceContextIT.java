package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.renderrelay.devstack.simulator.RequestLog;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A command published with a W3C {@code traceparent} (and {@code tracestate}, {@code baggage})
 * header: its terminal event, the provider requests as the simulator saw them (submit and every
 * poll) and the worker's log lines for that job all carry the command's trace id, so a trace
 * follows the render across services.
 */
@Timeout(120)
class TraceContextIT {

  @RegisterExtension
  static final E2eStack e2e =
      E2eStack.with(SimulatorConfig.defaults().withRenderTimeOverride(Duration.ofSeconds(1)));

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @Test
  void theCommandsTraceReachesEventProviderCallsAndLogLines() throws Exception {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger workerLogs = logback.getLogger("io.renderrelay.worker");
    Logger transitions = logback.getLogger("io.renderrelay.worker.job.transitions");
    Level before = transitions.getLevel();
    Captured captured = new Captured();
    captured.setContext(logback);
    captured.start();
    workerLogs.addAppender(captured);
    transitions.setLevel(Level.INFO);
    try {
      e2e.worker("trace-it");
      Commands commands = e2e.commands();
      EventCollector events = e2e.events();
      String jobId = "trace-" + UUID.randomUUID();
      commands.send(
          Commands.restyle(jobId, Instant.now()),
          Map.of(
              "traceparent", TRACEPARENT,
              "tracestate", "vendor=opaque",
              "baggage", "tenant=acme"));
      events.awaitTerminal(List.of(jobId), Duration.ofSeconds(60));
      assertThat(events.eventsOf(jobId)).singleElement().matches(EventCollector::completed);

      Map<String, String> eventHeaders = events.headersOf(jobId).get(0);
      assertThat(eventHeaders.get("traceparent"))
          .as("the event continues the command's trace")
          .startsWith("00-" + TRACE_ID + "-")
          .isNotEqualTo(TRACEPARENT);
      assertThat(eventHeaders).containsEntry("tracestate", "vendor=opaque");
      assertThat(eventHeaders.get("baggage")).contains("tenant=acme");

      List<RequestLog.Request> calls = e2e.sim().requestLog().requests();
      assertThat(calls).as("submit and polls").hasSizeGreaterThanOrEqualTo(2);
      assertThat(calls).allSatisfy(c -> assertThat(c.traceId()).as(c.uri()).isEqualTo(TRACE_ID));
      assertThat(calls).anySatisfy(c -> assertThat(c.uri()).contains("/video2video"));
      assertThat(calls).anySatisfy(c -> assertThat(c.uri()).contains("/feed"));

      List<ILoggingEvent> jobLines =
          captured.events.stream()
              .filter(e -> jobId.equals(e.getMDCPropertyMap().get("jobId")))
              .toList();
      assertThat(jobLines).as("the worker logged the job's transitions").hasSizeGreaterThan(1);
      assertThat(jobLines)
          .allSatisfy(
              e ->
                  assertThat(e.getMDCPropertyMap())
                      .as(e.getFormattedMessage())
                      .containsEntry("trace_id", TRACE_ID)
                      .containsKey("span_id"));
    } finally {
      workerLogs.detachAppender(captured);
      transitions.setLevel(before);
    }
  }

  /** Keeps the worker's log events with the MDC of the logging thread. */
  private static final class Captured extends AppenderBase<ILoggingEvent> {
    final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent e) {
      e.prepareForDeferredProcessing();
      events.add(e);
    }
  }
}
