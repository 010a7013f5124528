package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.client.validation.CommandValidator;
import io.renderrelay.client.validation.ValidationRules;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: every command the validator accepts yields valid S3 keys for each of its outputs, so a
 * job is never paid for and then refused at copy time. Job ids and output prefixes come from a
 * seeded generator that mixes safe characters with the ones S3 keys refuse, and lengths around
 * every limit.
 */
class KeyRulesPropertyTest {

  private static final long SEED = 20261206L;
  private static final int CASES = 20_000;
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final String SAFE = "abcXYZ019._-=:";
  private static final String HOSTILE = "/ \t\n\u0000%?#\\'\"é\u202e*+,;@&$!~|";

  private final CommandValidator validator =
      new CommandValidator(ValidationRules.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
  private final KeyLayout layout = new KeyLayout("renders/" + "r".repeat(200) + "/tenant");

  @Test
  void everyAcceptedCommandHasValidKeys() {
    Random random = new Random(SEED);
    int accepted = 0;
    for (int i = 0; i < CASES; i++) {
      String jobId = text(random);
      String prefix = random.nextInt(4) == 0 ? null : path(random);
      RestyleCommand restyle = restyle(jobId, prefix);
      ActOneCommand actOne = actOne(jobId, prefix);
      if (validator.validate(restyle).isEmpty()) {
        accepted++;
        assertKeys(JobType.RESTYLE, prefix, jobId);
      }
      if (validator.validate(actOne).isEmpty()) {
        assertKeys(JobType.ACT_ONE, prefix, jobId);
      }
    }
    // the generator must reach the accepted side often enough to mean something
    assertThat(accepted).isGreaterThan(CASES / 10);
  }

  @Test
  void theCasesOfTheFindingAreAcceptedAndHaveKeys() {
    for (List<String> c :
        List.of(
            List.of("order:42", "acme"),
            List.of("j-1", "dt=2024-05-01"),
            List.of("j-2", "acme/"),
            List.of("j-3", "a".repeat(200) + "/b"))) {
      assertThat(validator.validate(restyle(c.get(0), c.get(1)))).as(c.toString()).isEmpty();
      assertKeys(JobType.RESTYLE, c.get(1), c.get(0));
    }
    // a segment over 200 characters is refused at intake, before anything is paid
    assertThat(validator.validate(restyle("j-4", "a".repeat(201)))).isNotEmpty();
  }

  private void assertKeys(JobType type, String prefix, String jobId) {
    for (OutputKind kind : OutputKind.values()) {
      assertThatCode(
              () -> {
                String key = layout.key(type, prefix, jobId, kind);
                KeyLayout.requireSafeKey(key);
                assertThat(key.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
              })
          .as("keys of job id '%s' prefix '%s'", jobId, prefix)
          .doesNotThrowAnyException();
    }
  }

  private static String path(Random random) {
    int segments = 1 + random.nextInt(4);
    StringBuilder b = new StringBuilder();
    for (int s = 0; s < segments; s++) {
      if (s > 0) {
        b.append(random.nextInt(20) == 0 ? "//" : "/");
      }
      b.append(text(random));
    }
    if (random.nextInt(5) == 0) {
      b.append('/');
    }
    if (random.nextInt(30) == 0) {
      b.insert(0, '/');
    }
    return b.toString();
  }

  private static String text(Random random) {
    int kind = random.nextInt(12);
    if (kind == 0) {
      return random.nextBoolean() ? "." : "..";
    }
    int[] lengths = {0, 1, 2, 8, 40, 127, 128, 129, 199, 200, 201, 255, 256, 257};
    int length = kind < 4 ? lengths[random.nextInt(lengths.length)] : 1 + random.nextInt(24);
    StringBuilder b = new StringBuilder(length);
    boolean hostile = random.nextInt(3) == 0;
    for (int i = 0; i < length; i++) {
      String from = hostile && random.nextInt(6) == 0 ? HOSTILE : SAFE;
      b.append(from.charAt(random.nextInt(from.length())));
    }
    return b.toString();
  }

  private static RestyleCommand restyle(String jobId, String prefix) {
    return RestyleCommand.newBuilder()
        .setJobId(jobId)
        .setSourceVideoUrl("https://cdn.example.com/in.mp4")
        .setPrompt("pixelated style")
        .setOptions(RestyleOptions.newBuilder().build())
        .setOutputPrefix(prefix)
        .setRequestedAt(NOW)
        .build();
  }

  private static ActOneCommand actOne(String jobId, String prefix) {
    return ActOneCommand.newBuilder()
        .setJobId(jobId)
        .setPerformanceVideoUrl("https://cdn.example.com/perf.mp4")
        .setCharacterImageUrl("https://cdn.example.com/char.png")
        .setOutputPrefix(prefix)
        .setRequestedAt(NOW)
        .build();
  }
}
