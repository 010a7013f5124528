package io.renderrelay.e2e;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.devstack.simulator.SimulatorControl;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The e2e ITs' stack, worker, command publisher, event collector and S3 reader as one JUnit 5
 * extension, registered as a static field:
 *
 * <pre>{@code @RegisterExtension static final E2eStack e2e = E2eStack.with(SimulatorConfig...);}
 * </pre>
 *
 * <p>The broker, schema registry and S3 server are started once per JVM and shared by every IT
 * class (the root {@link ExtensionContext.Store} closes them when the run ends); each class (or,
 * with {@link #perTest()}, each test) gets a {@link Lane} of its own: a provider simulator with its
 * settings, a bucket, topic names and a consumer group no other class uses. ITs that stop, pause or
 * restart a component ask for a stack of their own with {@link #ownStack()}.
 *
 * <p>Workers (in-process with {@link #worker}, or child JVMs with {@link #process}) belong to the
 * phase they were started in: one started in a test is closed after that test, one started in
 * {@code @BeforeAll} after the class; they are closed before the lane, in reverse start order.
 */
final class E2eStack
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final ExtensionContext.Namespace SHARED =
      ExtensionContext.Namespace.create(E2eStack.class);

  private final SimulatorConfig simulator;
  private final boolean perTest;
  private final boolean ownStack;
  private final Deque<Deque<AutoCloseable>> phases = new ArrayDeque<>();
  private DevStack stack;
  private Lane lane;
  private String className = "it";
  private String testName = "";

  private E2eStack(SimulatorConfig simulator, boolean perTest, boolean ownStack) {
    this.simulator = simulator;
    this.perTest = perTest;
    this.ownStack = ownStack;
  }

  /** The shared stack, with a simulator of these settings for the class. */
  static E2eStack with(SimulatorConfig simulator) {
    return new E2eStack(simulator, false, false);
  }

  /**
   * The shared stack, with a simulator that renders every task in {@code renderTime} and forgets
   * unknown tasks after 300 ms: the settings of most ITs.
   */
  static E2eStack rendering(Duration renderTime) {
    return with(
        SimulatorConfig.defaults()
            .withRenderTimeOverride(renderTime)
            .withTaskNotExistWindow(Duration.ofMillis(300)));
  }

  /** The same, but a fresh lane (simulator, topics, bucket, group) for every test. */
  E2eStack perTest() {
    return new E2eStack(simulator, true, ownStack);
  }

  /** A stack of this class's own, for ITs that stop, pause or restart its components. */
  E2eStack ownStack() {
    return new E2eStack(simulator, perTest, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    className = context.getRequiredTestClass().getSimpleName();
    stack = ownStack ? DevStack.start(DevStackConfig.defaults()) : shared(context);
    phases.push(new ArrayDeque<>());
    if (ownStack) {
      own(stack);
    }
    if (!perTest) {
      lane = own(Lane.open(stack, simulator, className));
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    testName = "-" + context.getRequiredTestMethod().getName();
    phases.push(new ArrayDeque<>());
    if (perTest) {
      lane = own(Lane.open(stack, simulator, className));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    testName = "";
    closePhase();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    closePhase();
  }

  private void closePhase() throws Exception {
    Deque<AutoCloseable> phase = phases.pop();
    Closing.all(phase.toArray(AutoCloseable[]::new));
  }

  private static DevStack shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(SHARED)
        .getOrComputeIfAbsent(
            DevStack.class, k -> DevStack.start(DevStackConfig.defaults()), DevStack.class);
  }

  /** Registers {@code resource} to be closed at the end of the current phase, first of all. */
  <T extends AutoCloseable> T own(T resource) {
    phases.element().push(resource);
    return resource;
  }

  /** The stack: broker, registry, S3 (shared unless {@link #ownStack()}). */
  DevStack stack() {
    return stack;
  }

  /** This class's (or test's) topics, bucket, simulator, publisher, collector and S3 reader. */
  Lane lane() {
    return lane;
  }

  /** Settings for a worker of this lane: its topics, group, bucket and simulator. */
  WorkerSettings settings(String instanceId) {
    return lane.settings(instanceId);
  }

  /** Starts a worker in this JVM; closed at the end of the phase it was started in. */
  RenderRelayWorker worker(WorkerSettings settings) throws IOException {
    return own(RenderRelayWorker.start(settings.config(), Clock.systemUTC()));
  }

  /** Starts a worker in this JVM with default settings under {@code instanceId}. */
  RenderRelayWorker worker(String instanceId) throws IOException {
    return worker(settings(instanceId));
  }

  /**
   * Starts a worker in a child JVM (256 MB heap, log under target/worker-logs) and waits until it
   * is ready; killed at the end of the phase it was started in unless the test ended it.
   */
  WorkerProcess process(WorkerSettings settings, String name, List<String> jvmOptions)
      throws Exception {
    Path log = Path.of("target", "worker-logs", className + testName + "-" + name + ".log");
    List<String> options = new ArrayList<>(settings.jvmOptions());
    options.addAll(jvmOptions);
    WorkerProcess p =
        own(
            WorkerProcess.start(
                settings.asEnvironment(), options, settings.classpathFirst(), log, "256m"));
    return p.awaitReady(Duration.ofSeconds(60));
  }

  /** {@link #process(WorkerSettings, String, List)} without extra JVM options. */
  WorkerProcess process(WorkerSettings settings, String name) throws Exception {
    return process(settings, name, List.of());
  }

  Commands commands() {
    return lane.commands();
  }

  EventCollector events() {
    return lane.events();
  }

  S3Objects s3() {
    return lane.s3();
  }

  SimulatorControl sim() {
    return lane.simulator().control();
  }

  /** The operator CLI's RENDER_RELAY_* settings for this lane: broker, registry and topics. */
  Map<String, String> cliEnvironment() {
    return Map.of(
        "RENDER_RELAY_KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers(),
        "RENDER_RELAY_REGISTRY_URL", stack.registryUrl().orElseThrow(),
        "RENDER_RELAY_TOPICS_RESTYLE_COMMANDS", topic(Commands.RESTYLE_TOPIC),
        "RENDER_RELAY_TOPICS_ACT_ONE_COMMANDS", topic(Commands.ACT_ONE_TOPIC),
        "RENDER_RELAY_TOPICS_EVENTS", topic(EventCollector.EVENTS_TOPIC),
        "RENDER_RELAY_TOPICS_DEAD_LETTER", topic(DltProbe.DLT_TOPIC),
        "RENDER_RELAY_SPEND_TOPIC", topic("render.spend"));
  }

  /** A background reader of this lane's {@code defaultTopic}; closed with the phase. */
  TopicTail tail(String defaultTopic) {
    return own(new TopicTail(stack.kafka().bootstrapServers(), topic(defaultTopic)));
  }

  /** This lane's name for a topic of the default layout, e.g. {@code render.dlt}. */
  String topic(String defaultName) {
    return lane.topic(defaultName);
  }

  static String laneName(String className) {
    String base = className.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return base.substring(0, Math.min(base.length(), 24));
  }
}
