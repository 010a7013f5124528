package io.renderrelay.examples;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.client.ListenerConfig;
import io.renderrelay.client.RegistrySettings;
import io.renderrelay.client.RenderClients;
import io.renderrelay.client.RenderEventHandler;
import io.renderrelay.client.RenderEventListener;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A downstream service: listens to {@code render.events} (read_committed, at least once), and for
 * every {@code RenderCompleted} downloads the video from S3 into {@code <outputDir>/<jobId>/},
 * verifying size and SHA-256 against the event ({@link RenderDownloader}). Prints one line per
 * event:
 *
 * <pre>
 * fetched jobId=... path=... sha256=... bytes=...
 * failed jobId=... reason=... message=...
 * rejected jobId=... error=...      (checksum or size mismatch; the file is not kept)
 * </pre>
 *
 * <p>Usage: {@code FetchRenders <bootstrap> <registryUrl> <s3Endpoint> <outputDir> [--max N]
 * [--group ID] [--timeout SECONDS]}; the S3 credentials come from {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY} ({@code AWS_REGION} optional). It stops after {@code N} fetched
 * renders (default: runs until the timeout, default 300 s) and exits 0 when all it handled were
 * fetched and verified and {@code N} was reached.
 */
public final class FetchRenders {

  static final String USAGE =
      "usage: FetchRenders <bootstrap> <registryUrl> <s3Endpoint> <outputDir>"
          + " [--max N] [--group ID] [--timeout SECONDS]"
          + " (env AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optional AWS_REGION)";

  private FetchRenders() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err, Clock.systemUTC()));
  }

  /**
   * Runs the example.
   *
   * @param env where the S3 credentials are read from
   * @return 0 when {@code --max} renders were fetched and verified, 1 on a rejected render or a
   *     timeout, 2 on bad arguments or missing credentials
   */
  public static int run(
      String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
    FetchOptions options;
    try {
      options = FetchOptions.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try (S3Client s3 = s3(options)) {
      Fetcher fetcher = new Fetcher(new RenderDownloader(s3, options.outputDir()), out);
      ListenerConfig config =
          ListenerConfig.builder(
                  options.bootstrap(), RegistrySettings.of(options.registryUrl()), options.group())
              .autoOffsetReset("earliest")
              .build();
      Instant until = clock.instant().plus(options.timeout());
      try (RenderEventListener listener = new RenderClients(clock).listener(config, fetcher)) {
        listener.runUntil(
            () -> fetcher.fetched >= options.max() || !clock.instant().isBefore(until));
      }
      if (fetcher.fetched < options.max() && options.max() != Integer.MAX_VALUE) {
        err.println(
            "timed out after "
                + options.timeout().toSeconds()
                + " s with "
                + fetcher.fetched
                + " of "
                + options.max()
                + " renders fetched");
        return 1;
      }
      return fetcher.rejected == 0 ? 0 : 1;
    }
  }

  private static S3Client s3(FetchOptions o) {
    return S3Client.builder()
        .endpointOverride(URI.create(o.s3Endpoint()))
        .forcePathStyle(true) // local S3 (scripts/devstack) has no virtual-host buckets
        .region(Region.of(o.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(o.accessKeyId(), o.secretAccessKey())))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }

  /** The event handler: downloads completed renders, reports failed jobs. */
  private static final class Fetcher implements RenderEventHandler {
    private final RenderDownloader downloader;
    private final PrintStream out;
    private int fetched;
    private int rejected;

    Fetcher(RenderDownloader downloader, PrintStream out) {
      this.downloader = downloader;
      this.out = out;
    }

    @Override
    public void onCompleted(RenderCompleted event) {
      // idempotent: a repeated event downloads to the same path again
      try {
        Path file = downloader.download(event.getJobId(), event.getVideo());
        fetched++;
        out.printf(
            "fetched jobId=%s path=%s sha256=%s bytes=%d%n",
            event.getJobId(), file, event.getVideo().getSha256(), event.getVideo().getSizeBytes());
      } catch (RenderDownloader.IntegrityException e) {
        rejected++;
        out.printf("rejected jobId=%s error=%s%n", event.getJobId(), e.getMessage());
      }
      out.flush();
    }

    @Override
    public void onFailed(RenderFailed event) {
      out.printf(
          "failed jobId=%s reason=%s message=%s%n",
          event.getJobId(), event.getReason(), event.getMessage());
      out.flush();
    }
  }

  /** Parsed command line and environment. */
  record FetchOptions(
      String bootstrap,
      String registryUrl,
      String s3Endpoint,
      Path outputDir,
      int max,
      String group,
      Duration timeout,
      String accessKeyId,
      String secretAccessKey,
      String region) {

    @Override
    public String toString() {
      return "FetchOptions[" + bootstrap + ", " + registryUrl + ", " + s3Endpoint + ", secret=***]";
    }

    static FetchOptions parse(String[] args, Map<String, String> env) {
      if (args.length < 4) {
        throw new IllegalArgumentException("missing arguments");
      }
      int max = Integer.MAX_VALUE;
      String group = "render-fetcher";
      Duration timeout = Duration.ofSeconds(300);
      for (int i = 4; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + args[i] + " needs a value");
        }
        String value = args[i + 1];
        switch (args[i]) {
          case "--max" -> max = positive(args[i], value);
          case "--group" -> group = value;
          case "--timeout" -> timeout = Duration.ofSeconds(positive(args[i], value));
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      String key = env.get("AWS_ACCESS_KEY_ID");
      String secret = env.get("AWS_SECRET_ACCESS_KEY");
      if (key == null || key.isBlank() || secret == null || secret.isBlank()) {
        throw new IllegalArgumentException("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
      }
      return new FetchOptions(
          args[0],
          args[1],
          args[2],
          Path.of(args[3]),
          max,
          group,
          timeout,
          key,
          secret,
          env.getOrDefault("AWS_REGION", "us-east-1"));
    }

    private static int positive(String option, String value) {
      try {
        int n = Integer.parseInt(value);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(option + " needs a positive number, not '" + value + "'");
    }
  }
}
