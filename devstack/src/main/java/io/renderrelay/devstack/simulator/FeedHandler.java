package io.renderrelay.devstack.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** {@code POST /runway/feed}: the task's state by clock, in the current answer format. */
final class FeedHandler extends JsonRoute {
  static final String PATH = "/runway/feed";

  private final ApiGate gate;
  private final SimulatorControl control;
  private final Clock clock;

  FeedHandler(ApiGate gate, SimulatorControl control, Clock clock) {
    super("feed", control.counters());
    this.gate = gate;
    this.control = control;
    this.clock = clock;
  }

  @Override
  Answer answer(HttpExchange exchange) throws Exception {
    if (!PATH.equals(exchange.getRequestURI().getPath())) {
      return notFound("path " + exchange.getRequestURI().getPath());
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      return methodNotAllowed("POST");
    }
    control.counters().poll();
    Optional<Answer> refused = gate.check(exchange, false);
    if (refused.isPresent()) {
      return refused.get();
    }
    JsonNode body = readJson(exchange);
    JsonNode id = body == null ? null : body.get("task_id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new BadRequest("task_id is required and must be a non-empty string", "invalid_request");
    }
    Instant now = clock.instant();
    Optional<SimTask> task = control.store().get(id.asText());
    if (task.isEmpty() || task.get().phaseAt(now) instanceof TaskPhase.NotVisible) {
      throw new BadRequest("task_not_exist", "task_not_exist");
    }
    control.counters().pollAnswered(task.get().taskId(), task.get().phaseAt(now));
    var format = control.answerFormat();
    var data = FeedAnswers.data(task.get(), now, format, control.outputBase());
    gate.maybeSlow();
    return Answer.of(200, FeedAnswers.envelope(format, data, gate.execTime()));
  }
}
