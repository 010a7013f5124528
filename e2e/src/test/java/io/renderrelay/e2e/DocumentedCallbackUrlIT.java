package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.app.RenderRelayWorker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker configured with the callback URL exactly as docs/configuration.md shows it (read from
 * the doc, only its host made local): the provider's callbacks reach the jobs, none answers 404.
 */
@Timeout(120)
class DocumentedCallbackUrlIT {

  private static final Pattern EXAMPLE =
      Pattern.compile("\\| `provider\\.callback-base-url` \\|.*?e\\.g\\. (\\S+?);");

  @RegisterExtension static final E2eStack e2e = E2eStack.rendering(Duration.ofSeconds(1));

  static RenderRelayWorker worker;
  static WorkerMetrics metrics;

  @BeforeAll
  static void start() throws Exception {
    WorkerSettings settings = e2e.settings("callback-doc-1");
    URI documented = documentedCallbackBase();
    URI local =
        new URI(
            "http",
            null,
            "127.0.0.1",
            settings.httpPort(),
            documented.getPath(),
            documented.getQuery(),
            null);
    // slow polls: the jobs end only when the callback turns into a "poll now" ticket
    settings
        .with("provider.callback-base-url", local.toString())
        .with("poll.tiers", e2e.lane().pollTiers("render.poll.60s:60s:0"));
    worker = e2e.worker(settings);
    metrics = new WorkerMetrics(settings.managementPort());
  }

  @Test
  void callbacksWithTheDocumentedBaseUrlReachTheirJobs() throws Exception {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String job = "cb-doc-" + UUID.randomUUID();
      e2e.commands().send(Commands.restyle(job, Instant.now()));
      jobs.add(job);
    }
    assertThat(e2e.events().awaitTerminal(jobs, Duration.ofSeconds(45)))
        .as("jobs ended well before their 60 s poll: only a callback can have moved them")
        .isEqualTo(jobs.size());
    String name = "render_relay_callbacks_total";
    assertThat(metrics.sum(name, "result=\"accepted\"")).isPositive();
    assertThat(metrics.sum(name, "result=\"not_found\"")).isZero();
    assertThat(metrics.sum(name, "result=\"forbidden\"")).isZero();
  }

  /** The example value of provider.callback-base-url in docs/configuration.md. */
  static URI documentedCallbackBase() throws Exception {
    Path doc = Path.of("..", "docs", "configuration.md").toAbsolutePath().normalize();
    Matcher m = EXAMPLE.matcher(Files.readString(doc, StandardCharsets.UTF_8));
    assertThat(m.find()).as("an example callback URL in %s", doc).isTrue();
    return URI.create(m.group(1));
  }
}
