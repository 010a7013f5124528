package io.renderrelay.worker.job.callback;

import io.renderrelay.worker.job.core.CallbackTokens;
import io.renderrelay.worker.job.core.JobRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a provider callback into a "poll now" ticket. The callback is a hint only: its body is
 * never read for status or URLs; the owner's poll decides. It may reach any replica: the token (an
 * HMAC of the jobId) is checked without a lookup, and the ticket is keyed by the jobId so it lands
 * at the job's owner. Repeats within a short window are folded into one ticket.
 */
public final class CallbackIngress implements CallbackHandler {

  private static final Logger log = LoggerFactory.getLogger(CallbackIngress.class);
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final int REMEMBERED = 10_000;

  private final CallbackTokens tokens;
  private final JobRecords records;
  private final Producer<byte[], byte[]> producer;
  private final Clock clock;
  private final Duration foldWindow;
  private final Map<String, Instant> recent =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
          return size() > REMEMBERED;
        }
      };

  public CallbackIngress(
      CallbackTokens tokens,
      JobRecords records,
      Producer<byte[], byte[]> producer,
      Clock clock,
      Duration foldWindow) {
    this.tokens = tokens;
    this.records = records;
    this.producer = producer;
    this.clock = clock;
    this.foldWindow = foldWindow;
  }

  /** The body is never read: a repeat within the fold window is accepted without a new ticket. */
  @Override
  public CallbackResult handle(String jobId, String token, byte[] body) {
    if (jobId == null || !JOB_ID.matcher(jobId).matches() || !tokens.valid(jobId, token)) {
      return CallbackResult.FORBIDDEN;
    }
    Instant now = clock.instant();
    synchronized (recent) {
      Instant last = recent.get(jobId);
      if (last != null && Duration.between(last, now).compareTo(foldWindow) < 0) {
        return CallbackResult.ACCEPTED;
      }
      recent.put(jobId, now);
    }
    try {
      producer.send(records.callbackTicket(jobId, now)).get(5, TimeUnit.SECONDS);
      return CallbackResult.ACCEPTED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CallbackResult.UNAVAILABLE;
    } catch (ExecutionException | TimeoutException e) {
      synchronized (recent) {
        recent.remove(jobId);
      }
      log.warn("callback for {} could not be queued: {}", jobId, e.toString());
      return CallbackResult.UNAVAILABLE;
    }
  }
}
