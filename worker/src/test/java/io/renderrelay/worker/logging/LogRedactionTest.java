package io.renderrelay.worker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogRedactionTest {
  private static final String API_KEY = "sk-live-7f3a9c1e5b";
  private static final String S3_SECRET = "wJalrXUtnFEMI/K7MDENG";

  private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

  private Logger jsonLogger(LoggerContext ctx) {
    ctx.setMDCAdapter(new LogbackMDCAdapter());
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(ctx);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(ctx);
    appender.setEncoder(encoder);
    appender.setOutputStream(sink);
    appender.start();
    Logger logger = ctx.getLogger("io.renderrelay.test");
    logger.detachAndStopAllAppenders();
    logger.setAdditive(false);
    logger.addAppender(appender);
    return logger;
  }

  private List<JsonNode> lines() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String text = sink.toString(StandardCharsets.UTF_8);
    assertThat(text).as("encoded output").endsWith("\n");
    for (String line : text.split("\n")) {
      out.add(new ObjectMapper().readTree(line));
    }
    return out;
  }

  @Test
  void jsonLinesMaskRegisteredSecretsAndBearerTokens() throws Exception {
    LoggerContext ctx = new LoggerContext();
    SecretRegistry secrets = new SecretRegistry();
    secrets.registerAll(List.of(API_KEY, S3_SECRET));
    LogRedaction.install(ctx, new LogRedaction(secrets));
    Logger log = jsonLogger(ctx);

    ctx.getMDCAdapter().put("jobId", "job-42");
    ctx.getMDCAdapter().put("taskId", "task-9");
    log.info("calling provider with key {} and header Authorization: Bearer abc", API_KEY);
    log.warn(
        "upload failed",
        new IllegalStateException("S3 said no to " + S3_SECRET, new RuntimeException(API_KEY)));
    ctx.getMDCAdapter().clear();
    log.atInfo().addKeyValue("apiKey", API_KEY).log("password=hunter22 sent");

    String raw = sink.toString(StandardCharsets.UTF_8);
    assertThat(raw)
        .doesNotContain(API_KEY, S3_SECRET, "Bearer abc", "hunter22")
        .contains("Bearer [redacted]");
    List<JsonNode> lines = lines();
    assertThat(lines).hasSize(3);
    JsonNode first = lines.get(0);
    assertThat(first.get("level").asText()).isEqualTo("INFO");
    assertThat(first.get("logger").asText()).isEqualTo("io.renderrelay.test");
    assertThat(first.get("thread").asText()).isNotBlank();
    assertThat(first.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(first.get("jobId").asText()).isEqualTo("job-42");
    assertThat(first.get("taskId").asText()).isEqualTo("task-9");
    assertThat(first.get("message").asText())
        .isEqualTo(
            "calling provider with key [redacted] and header Authorization: Bearer [redacted]");
    JsonNode second = lines.get(1);
    assertThat(second.get("exception").asText())
        .contains("IllegalStateException: S3 said no to [redacted]")
        .contains("Caused by: java.lang.RuntimeException: [redacted]")
        .contains("\tat ");
    assertThat(lines.get(2).get("apiKey").asText()).isEqualTo("[redacted]");
    assertThat(lines.get(2).has("jobId")).isFalse();
  }

  @Test
  void withoutAnInstalledRegistryBearerTokensAreStillMasked() throws Exception {
    LoggerContext ctx = new LoggerContext();
    jsonLogger(ctx).error("got 401 for Bearer sk-abc.def_ghi");
    assertThat(lines().get(0).get("message").asText()).isEqualTo("got 401 for Bearer [redacted]");
  }

  @Test
  void shortAndBlankValuesAreNotRegistered() {
    SecretRegistry secrets = new SecretRegistry();
    secrets.register("abc");
    secrets.register(" ");
    secrets.register(null);
    assertThat(new LogRedaction(secrets).redact("abc def")).isEqualTo("abc def");
    assertThat(secrets.toString()).isEqualTo("SecretRegistry[0 secrets]");
  }

  @Test
  void productionConfigurationUsesTheJsonLogEncoder() throws Exception {
    LoggerContext ctx = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    URL config = getClass().getClassLoader().getResource("logback.xml");
    assertThat(config).isNotNull();
    configurator.doConfigure(config);

    List<Status> errors =
        ctx.getStatusManager().getCopyOfStatusList().stream()
            .filter(s -> s.getLevel() >= Status.WARN)
            .toList();
    assertThat(errors).isEmpty();
    Appender<ILoggingEvent> async = ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
    assertThat(async).isInstanceOf(ch.qos.logback.classic.AsyncAppender.class);
    Iterator<Appender<ILoggingEvent>> it =
        ((ch.qos.logback.classic.AsyncAppender) async).iteratorForAppenders();
    OutputStreamAppender<ILoggingEvent> stdout = (OutputStreamAppender<ILoggingEvent>) it.next();
    assertThat(stdout.getEncoder()).isInstanceOf(JsonLogEncoder.class);
    ctx.stop();
  }
}
