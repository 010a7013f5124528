package io.renderrelay.worker.lookup;

import io.renderrelay.worker.job.JobQuery;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Forwards a job query to the owner's management listener (JDK HTTP client, bounded waits). */
public final class HttpForwarder implements JobLookup.Forwarder, AutoCloseable {

  private final HttpClient client;
  private final Duration timeout;

  public HttpForwarder(Duration timeout) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public JobQuery.Answer get(URI owner, String jobId) throws IOException {
    String base = owner.toString().replaceAll("/+$", "");
    URI uri =
        URI.create(
            base + "/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20"));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header(JobQuery.FORWARDED_HEADER, "1")
            .GET()
            .build();
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new JobQuery.Answer(response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted asking " + owner, e);
    }
  }
}
