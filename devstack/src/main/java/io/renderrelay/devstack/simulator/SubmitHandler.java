package io.renderrelay.devstack.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.util.Optional;

/** {@code POST /runway/pro/video2video} and {@code POST /runway/pro/act_one}. */
final class SubmitHandler extends JsonRoute {
  private final JobKind kind;
  private final String path;
  private final ApiGate gate;
  private final TaskPlanner planner;
  private final SimulatorControl control;
  private final CallbackDispatcher callbacks;

  SubmitHandler(
      JobKind kind,
      String path,
      ApiGate gate,
      TaskPlanner planner,
      SimulatorControl control,
      CallbackDispatcher callbacks) {
    super(kind == JobKind.RESTYLE ? "submit_restyle" : "submit_act_one", control.counters());
    this.kind = kind;
    this.path = path;
    this.gate = gate;
    this.planner = planner;
    this.control = control;
    this.callbacks = callbacks;
  }

  @Override
  Answer answer(HttpExchange exchange) throws Exception {
    if (!path.equals(exchange.getRequestURI().getPath())) {
      return notFound("path " + exchange.getRequestURI().getPath());
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      return methodNotAllowed("POST");
    }
    control.counters().submit();
    Optional<Answer> refused = gate.check(exchange, true);
    if (refused.isPresent()) {
      return refused.get();
    }
    SubmitRequests.Accepted req;
    try {
      req = SubmitRequests.validate(kind, readJson(exchange));
    } catch (SubmitRequests.Invalid e) {
      throw new BadRequest(e.getMessage(), "invalid_request");
    }
    SimTask task = planner.plan(kind, req.callbackUrl(), req.prompt());
    control.store().put(task);
    control.counters().paidSubmission(task.jobId());
    callbacks.track(task);
    ObjectNode initial =
        kind == JobKind.RESTYLE
            ? FeedAnswers.data(
                task, task.submittedAt(), control.answerFormat(), control.outputBase())
            : null;
    gate.maybeSlow();
    return Answer.of(200, FeedAnswers.submitted(task.taskId(), initial, gate.execTime()));
  }
}
