package io.renderrelay.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

@Timeout(120)
class DevStackIT {
  private static final Pattern READY =
      Pattern.compile(
          "READY kafka=127\\.0\\.0\\.1:(\\d+) registry=(\\S+) s3=http://127\\.0\\.0\\.1:(\\d+)"
              + " provider=(\\S+)");

  @Test
  void startsEverythingPrintsReadyLineAndCloseReleasesPorts() throws Exception {
    int kafkaPort;
    int s3Port;
    long t0 = System.nanoTime();
    try (DevStack stack = DevStack.start(DevStackConfig.defaults())) {
      System.out.printf(
          "TIMING devstack start (in-process): %d ms (%s)%n",
          (System.nanoTime() - t0) / 1_000_000, stack.startTimesSummary());
      Matcher m = READY.matcher(stack.readyLine());
      assertThat(m.matches()).as(stack.readyLine()).isTrue();
      kafkaPort = Integer.parseInt(m.group(1));
      s3Port = Integer.parseInt(m.group(3));
      assertThat(stack.kafka().port()).isEqualTo(kafkaPort);
      assertThat(stack.s3().endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + s3Port));

      try (Admin admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()))) {
        assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
      }
      try (S3Client s3 = s3Client(stack)) {
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("renders");
      }
    }
    assertThat(LocalPorts.isListening(kafkaPort)).isFalse();
    assertThat(LocalPorts.isListening(s3Port)).isFalse();
  }

  @Test
  void kcatListsTheBrokerWhenKcatIsInstalled() throws Exception {
    assumeTrue(kcatInstalled(), "kcat is not installed (apt-get install kcat)");
    try (DevStack stack = DevStack.start(DevStackConfig.defaults())) {
      Process kcat =
          new ProcessBuilder("kcat", "-L", "-b", stack.kafka().bootstrapServers(), "-m", "10")
              .redirectErrorStream(true)
              .start();
      String output = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(kcat.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(kcat.exitValue()).as(output).isZero();
      assertThat(output)
          .contains("1 brokers:")
          .contains("broker 1 at 127.0.0.1:" + stack.kafka().port());
    }
  }

  @Test
  void givenDataDirKeepsTopicsAndObjectsAcrossStacks() throws Exception {
    Path dir = Files.createTempDirectory("devstack-it");
    try {
      DevStackConfig cfg = DevStackConfig.defaults().withDataDir(dir);
      try (DevStack first = DevStack.start(cfg)) {
        first.kafka().createTopics(Map.of("kept", 1));
        try (S3Client s3 = s3Client(first)) {
          s3.putObject(b -> b.bucket("renders").key("k"), RequestBody.fromString("v"));
        }
      }
      try (DevStack second = DevStack.start(cfg);
          Admin admin =
              Admin.create(
                  Map.of(
                      AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                      second.kafka().bootstrapServers()));
          S3Client s3 = s3Client(second)) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("renders").key("k")).asUtf8String())
            .isEqualTo("v");
      }
      assertThat(dir.resolve("kafka")).isDirectory();
      assertThat(dir.resolve("s3")).isDirectory();
    } finally {
      Directories.deleteRecursively(dir);
    }
  }

  @Test
  void mainPrintsReadyOnStdoutAndExitsZeroOnSigterm() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                DevStackMain.class.getName()));
    long t0 = System.nanoTime();
    Process process =
        new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> readLine(stdout));
      // generous: the 20 s target is measured on an idle machine (scripts/devstack), not asserted
      // here
      String line = firstLine.get(90, TimeUnit.SECONDS);
      System.out.printf(
          "TIMING devstack main process to READY: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      Matcher m = READY.matcher(line == null ? "" : line);
      assertThat(m.matches()).as("first stdout line: %s", line).isTrue();
      int kafkaPort = Integer.parseInt(m.group(1));
      int s3Port = Integer.parseInt(m.group(3));
      assertThat(LocalPorts.isListening(kafkaPort)).isTrue();
      assertThat(LocalPorts.isListening(s3Port)).isTrue();

      process.toHandle().destroy(); // SIGTERM; unlike Process.destroy() it keeps stdout open
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(readLine(stdout)).as("nothing after READY on stdout").isNull();
      assertThat(LocalPorts.isListening(kafkaPort)).isFalse();
      assertThat(LocalPorts.isListening(s3Port)).isFalse();
    } finally {
      process.destroyForcibly();
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static S3Client s3Client(DevStack stack) {
    return S3Client.builder()
        .endpointOverride(stack.s3().endpoint())
        .region(Region.of(stack.s3().region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(stack.s3().accessKey(), stack.s3().secretKey())))
        .build();
  }

  private static boolean kcatInstalled() {
    String path = System.getenv("PATH");
    return path != null
        && Arrays.stream(path.split(File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "kcat")));
  }
}
