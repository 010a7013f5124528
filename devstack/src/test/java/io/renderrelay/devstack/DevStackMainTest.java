package io.renderrelay.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DevStackMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final DevStackMain main =
      new DevStackMain(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

  @Test
  void defaultsAreFreePortsTemporaryStorageRendersBucketRealTime() {
    new CommandLine(main).parseArgs();
    assertThat(main.config()).isEqualTo(DevStackConfig.defaults());
  }

  @Test
  void everyOptionReachesTheConfig() {
    new CommandLine(main)
        .parseArgs(
            "--kafka-port",
            "19092",
            "--registry-port",
            "18081",
            "--s3-port",
            "19000",
            "--provider-port",
            "18090",
            "--data-dir",
            "/tmp/rr-data",
            "--bucket",
            "other-bucket",
            "--time-scale",
            "0.01");
    assertThat(main.config())
        .isEqualTo(
            new DevStackConfig(
                19092,
                18081,
                19000,
                18090,
                Optional.of(Path.of("/tmp/rr-data")),
                "other-bucket",
                0.01,
                io.renderrelay.devstack.simulator.SimulatorConfig.defaults()));
  }

  @Test
  void invalidValuesAreRejectedWithAClearMessage() {
    assertThatThrownBy(
            () ->
                new DevStackConfig(
                    70_000,
                    0,
                    0,
                    0,
                    Optional.empty(),
                    "renders",
                    1,
                    io.renderrelay.devstack.simulator.SimulatorConfig.defaults()))
        .hasMessageContaining("kafka port");
    assertThatThrownBy(
            () ->
                new DevStackConfig(
                    0,
                    0,
                    0,
                    0,
                    Optional.empty(),
                    "Bad_Bucket",
                    1,
                    io.renderrelay.devstack.simulator.SimulatorConfig.defaults()))
        .hasMessageContaining("bucket");
    assertThatThrownBy(() -> DevStackConfig.defaults().withTimeScale(0))
        .hasMessageContaining("time scale");
    assertThatThrownBy(() -> DevStackConfig.defaults().withTimeScale(Double.NaN))
        .hasMessageContaining("time scale");
  }

  @Test
  void unknownOptionIsAUsageErrorNotAStart() {
    int code = new CommandLine(main).execute("--no-such-option");
    assertThat(code).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("READY");
  }
}
