package io.renderrelay.client.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.client.validation.Violation.Code;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandValidatorTest {

  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  final CommandValidator validator =
      new CommandValidator(ValidationRules.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

  static RestyleCommand.Builder restyle() {
    return RestyleCommand.newBuilder()
        .setJobId("job-1")
        .setSourceVideoUrl("https://cdn.example.com/in/clip.mp4")
        .setPrompt("pixelated style")
        .setModel("gen4")
        .setOptions(new RestyleOptions(0.5, false))
        .setMetadata(Map.of("tenant", "acme"))
        .setRequestedAt(NOW)
        .setDeadline(NOW.plus(Duration.ofHours(2)));
  }

  static ActOneCommand.Builder actOne() {
    return ActOneCommand.newBuilder()
        .setJobId("job-2")
        .setPerformanceVideoUrl("https://cdn.example.com/perf.mp4")
        .setCharacterImageUrl("https://cdn.example.com/face.png")
        .setRequestedAt(NOW);
  }

  @Test
  void validCommandsHaveNoViolations() {
    assertThat(validator.validate(restyle().build())).isEmpty();
    assertThat(validator.validate(actOne().build())).isEmpty();
  }

  static Stream<Arguments> hostileUrls() {
    return Stream.of(
        Arguments.of("file:///etc/passwd", Code.BAD_SCHEME),
        Arguments.of("http://cdn.example.com/a.mp4", Code.BAD_SCHEME),
        Arguments.of("ftp://cdn.example.com/a.mp4", Code.BAD_SCHEME),
        Arguments.of("gopher://cdn.example.com/", Code.BAD_SCHEME),
        Arguments.of("https://10.0.0.1/a.mp4", Code.PRIVATE_HOST),
        Arguments.of("https://172.16.5.4/a.mp4", Code.PRIVATE_HOST),
        Arguments.of("https://192.168.1.1/a.mp4", Code.PRIVATE_HOST),
        Arguments.of("https://127.0.0.1:8443/a.mp4", Code.PRIVATE_HOST),
        Arguments.of("https://169.254.169.254/latest/meta-data/", Code.PRIVATE_HOST),
        Arguments.of("https://100.100.100.200/", Code.PRIVATE_HOST),
        Arguments.of("https://0.0.0.0/", Code.PRIVATE_HOST),
        Arguments.of("https://224.0.0.1/", Code.PRIVATE_HOST),
        Arguments.of("https://[::1]/a.mp4", Code.PRIVATE_HOST),
        Arguments.of("https://[::]/a.mp4", Code.PRIVATE_HOST),
        Arguments.of("https://[fe80::1]/a.mp4", Code.PRIVATE_HOST),
        Arguments.of("https://[fd00:ec2::254]/", Code.PRIVATE_HOST),
        Arguments.of("https://[::ffff:127.0.0.1]/", Code.PRIVATE_HOST),
        Arguments.of("https://[::ffff:a9fe:a9fe]/", Code.PRIVATE_HOST),
        Arguments.of("https://[64:ff9b::10.0.0.1]/", Code.PRIVATE_HOST),
        Arguments.of("https://[2002:0a00:0001::1]/", Code.PRIVATE_HOST),
        Arguments.of("https://localhost/a.mp4", Code.PRIVATE_HOST),
        Arguments.of("https://LOCALHOST./a.mp4", Code.PRIVATE_HOST),
        Arguments.of("https://api.localhost/a.mp4", Code.PRIVATE_HOST),
        Arguments.of("https://metadata.google.internal/computeMetadata/v1/", Code.PRIVATE_HOST),
        Arguments.of("https://printer.local/", Code.PRIVATE_HOST),
        Arguments.of("https://intranet/a.mp4", Code.PRIVATE_HOST),
        Arguments.of("https://2130706433/a.mp4", Code.BAD_URL),
        Arguments.of("https://0x7f000001/a.mp4", Code.BAD_URL),
        Arguments.of("https://0177.0.0.1/a.mp4", Code.BAD_URL),
        Arguments.of("https://127.1/a.mp4", Code.BAD_URL),
        Arguments.of("https://[fe80::1%25eth0]/", Code.BAD_URL),
        Arguments.of("https://[1:2:3]/", Code.BAD_URL),
        Arguments.of("https://user:pw@cdn.example.com/a.mp4", Code.BAD_URL),
        Arguments.of("https://user@cdn.example.com/a.mp4", Code.BAD_URL),
        Arguments.of("//cdn.example.com/a.mp4", Code.BAD_URL),
        Arguments.of("/relative/a.mp4", Code.BAD_URL),
        Arguments.of("https:///a.mp4", Code.BAD_URL),
        Arguments.of("https://exa mple.com/a.mp4", Code.BAD_URL),
        Arguments.of("mailto:someone@example.com", Code.BAD_SCHEME),
        Arguments.of("https://", Code.BAD_URL),
        Arguments.of("", Code.MISSING),
        Arguments.of("   ", Code.MISSING));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("hostileUrls")
  void hostileUrlsAreRejectedWithTheRightCode(String url, Code code) {
    List<Violation> v = validator.validate(restyle().setSourceVideoUrl(url).build());
    assertThat(v)
        .extracting(Violation::field, Violation::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("sourceVideoUrl", code));
  }

  @Test
  void credentialsInUrlsNeverReachTheMessage() {
    List<Violation> v =
        validator.validate(
            restyle().setSourceVideoUrl("https://bob:s3cr3t@x.example.com/").build());
    assertThat(v).singleElement().satisfies(x -> assertThat(x.message()).doesNotContain("s3cr3t"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://cdn.example.com/in/clip.mp4?sig=abc&exp=1",
        "https://8.8.8.8/a.mp4",
        "https://[2606:4700::1111]/a.mp4",
        "https://s3.eu-west-1.amazonaws.com/bucket/key.mp4",
        "HTTPS://CDN.EXAMPLE.COM/A.MP4"
      })
  void publicUrlsPass(String url) {
    assertThat(validator.validate(restyle().setSourceVideoUrl(url).build())).isEmpty();
  }

  @Test
  void devModeAllowsHttpAndPrivateHostsButStillNotFileOrUserInfo() {
    CommandValidator dev =
        new CommandValidator(ValidationRules.devMode(), Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(dev.validate(restyle().setSourceVideoUrl("http://localhost:9000/a.mp4").build()))
        .isEmpty();
    assertThat(dev.validate(restyle().setSourceVideoUrl("http://10.0.0.1/a.mp4").build()))
        .isEmpty();
    assertThat(dev.validate(restyle().setSourceVideoUrl("file:///etc/passwd").build()))
        .extracting(Violation::code)
        .containsExactly(Code.BAD_SCHEME);
    assertThat(dev.validate(restyle().setSourceVideoUrl("http://a:b@localhost/").build()))
        .extracting(Violation::code)
        .containsExactly(Code.BAD_URL);
  }

  @Test
  void tooLongUrl() {
    String url = "https://cdn.example.com/" + "a".repeat(2048);
    assertThat(validator.validate(restyle().setSourceVideoUrl(url).build()))
        .extracting(Violation::code)
        .containsExactly(Code.TOO_LONG);
  }

  static Stream<Arguments> restyleRules() {
    return Stream.of(
        rule("jobId", Code.MISSING, b -> b.setJobId(" ")),
        rule("jobId", Code.BAD_ID, b -> b.setJobId("job/../../etc")),
        rule("jobId", Code.BAD_ID, b -> b.setJobId("x".repeat(129))),
        rule("jobId", Code.BAD_ID, b -> b.setJobId("job\n1")),
        rule("prompt", Code.MISSING, b -> b.setPrompt("  \t")),
        rule("prompt", Code.TOO_LONG, b -> b.setPrompt("p".repeat(1001))),
        rule("model", Code.MISSING, b -> b.setModel("")),
        rule("model", Code.UNKNOWN_MODEL, b -> b.setModel("gen9")),
        rule(
            "options.structureTransformation",
            Code.OUT_OF_RANGE,
            b -> b.setOptions(new RestyleOptions(Double.NaN, false))),
        rule(
            "options.structureTransformation",
            Code.OUT_OF_RANGE,
            b -> b.setOptions(new RestyleOptions(Double.POSITIVE_INFINITY, false))),
        rule(
            "options.structureTransformation",
            Code.OUT_OF_RANGE,
            b -> b.setOptions(new RestyleOptions(-0.01, false))),
        rule(
            "options.structureTransformation",
            Code.OUT_OF_RANGE,
            b -> b.setOptions(new RestyleOptions(1.01, false))),
        rule("outputPrefix", Code.BAD_PATH, b -> b.setOutputPrefix("../other-tenant")),
        rule("outputPrefix", Code.BAD_PATH, b -> b.setOutputPrefix("/abs")),
        rule("outputPrefix", Code.BAD_PATH, b -> b.setOutputPrefix("a//b")),
        rule("outputPrefix", Code.BAD_PATH, b -> b.setOutputPrefix("a/./b")),
        rule("outputPrefix", Code.TOO_LONG, b -> b.setOutputPrefix("a".repeat(257))),
        rule("metadata", Code.TOO_MANY, b -> b.setMetadata(entries(33))),
        rule("metadata['k']", Code.TOO_LONG, b -> b.setMetadata(Map.of("k", "v".repeat(1025)))),
        rule(
            "metadata['" + "k".repeat(60) + "...'] (key)",
            Code.TOO_LONG,
            b -> b.setMetadata(Map.of("k".repeat(129), "v"))),
        rule("metadata", Code.MISSING, b -> b.setMetadata(Map.of(" ", "v"))),
        rule(
            "requestedAt", Code.OUT_OF_RANGE, b -> b.setRequestedAt(NOW.plus(Duration.ofHours(1)))),
        rule(
            "requestedAt",
            Code.OUT_OF_RANGE,
            b -> b.setRequestedAt(Instant.EPOCH).setDeadline(null)),
        rule("deadline", Code.OUT_OF_RANGE, b -> b.setDeadline(NOW.minusSeconds(1))),
        rule("deadline", Code.OUT_OF_RANGE, b -> b.setDeadline(NOW.plusSeconds(30))),
        rule("deadline", Code.OUT_OF_RANGE, b -> b.setDeadline(NOW.plus(Duration.ofDays(3)))));
  }

  static Arguments rule(String field, Code code, Consumer<RestyleCommand.Builder> change) {
    return Arguments.of(field, code, change);
  }

  static Map<String, String> entries(int n) {
    Map<String, String> m = new HashMap<>();
    IntStream.range(0, n).forEach(i -> m.put("k" + i, "v"));
    return m;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("restyleRules")
  void everyRestyleRule(String field, Code code, Consumer<RestyleCommand.Builder> change) {
    RestyleCommand.Builder b = restyle();
    change.accept(b);
    assertThat(validator.validate(b.build()))
        .extracting(Violation::field, Violation::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(field, code));
  }

  @Test
  void boundaryValuesPass() {
    RestyleCommand c =
        restyle()
            .setJobId("A1._:-z")
            .setPrompt("p".repeat(1000))
            .setOptions(new RestyleOptions(1.0, true))
            .setOutputPrefix("tenant=acme/2026/")
            .setMetadata(entries(32))
            .setRequestedAt(NOW.plus(Duration.ofMinutes(5)))
            .setDeadline(NOW.plus(Duration.ofMinutes(6)))
            .build();
    assertThat(validator.validate(c)).isEmpty();
    assertThat(validator.validate(restyle().setModel("gen3a_turbo").setDeadline(null).build()))
        .isEmpty();
  }

  @Test
  void nullFieldsAreReportedNotThrown() {
    RestyleCommand c = new RestyleCommand();
    assertThat(validator.validate(c))
        .extracting(Violation::field)
        .containsExactly("jobId", "sourceVideoUrl", "prompt", "model", "options", "requestedAt");
  }

  @Test
  void actOneChecksBothUrlsUnderTheirOwnFieldsAndThatTheyDiffer() {
    assertThat(
            validator.validate(
                actOne()
                    .setPerformanceVideoUrl("http://cdn.example.com/p.mp4")
                    .setCharacterImageUrl("https://192.168.0.10/c.png")
                    .build()))
        .extracting(Violation::field, Violation::code)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("performanceVideoUrl", Code.BAD_SCHEME),
            org.assertj.core.groups.Tuple.tuple("characterImageUrl", Code.PRIVATE_HOST));
    assertThat(
            validator.validate(
                actOne().setCharacterImageUrl("https://cdn.example.com/perf.mp4").build()))
        .extracting(Violation::field, Violation::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("characterImageUrl", Code.CONFLICT));
    ActOneCommand missing = new ActOneCommand("j", null, " ", null, null, NOW, null);
    assertThat(validator.validate(missing))
        .extracting(Violation::field, Violation::code)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("performanceVideoUrl", Code.MISSING),
            org.assertj.core.groups.Tuple.tuple("characterImageUrl", Code.MISSING));
  }

  @Test
  void allViolationsAreReportedAndTheExceptionJoinsThem() {
    RestyleCommand c =
        restyle()
            .setJobId("bad id")
            .setPrompt("")
            .setSourceVideoUrl("http://x.example.com")
            .build();
    assertThat(validator.validate(c)).hasSize(3);
    assertThatThrownBy(() -> validator.requireValid(c))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("invalid RestyleCommand 'bad id'")
        .hasMessageContaining("jobId: BAD_ID")
        .hasMessageContaining("sourceVideoUrl: BAD_SCHEME")
        .hasMessageContaining("prompt: MISSING")
        .satisfies(e -> assertThat(((ValidationException) e).violations()).hasSize(3));
  }

  @Test
  void customRulesApply() {
    ValidationRules rules =
        ValidationRules.builder()
            .maxPromptLength(5)
            .allowedModels(java.util.Set.of("gen5"))
            .jobIdPattern("[0-9]+")
            .build();
    CommandValidator v = new CommandValidator(rules, Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(v.validate(restyle().setJobId("123").setModel("gen5").setPrompt("short").build()))
        .isEmpty();
    assertThat(v.validate(restyle().build()))
        .extracting(Violation::field)
        .containsExactly("jobId", "prompt", "model");
    assertThat(rules.toBuilder().build()).isEqualTo(rules);
  }

  @Test
  void rulesRejectNonsense() {
    assertThatThrownBy(() -> ValidationRules.builder().allowedSchemes(java.util.Set.of()).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ValidationRules.builder().maxPromptLength(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ValidationRules.builder()
                    .deadlineBounds(Duration.ofHours(2), Duration.ofHours(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
