package io.renderrelay.worker.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The one token bucket: burst, sustained rate, reservations, hold and share on a fake time. */
class TokenBucketTest {

  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void aFullBucketGivesItsBurstThenTheRate() {
    TokenBucket bucket = new TokenBucket(2, 3, 3, nanos::get);
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isFalse();
    advance(Duration.ofMillis(499));
    assertThat(bucket.tryAcquire()).isFalse();
    advance(Duration.ofMillis(1));
    assertThat(bucket.tryAcquire()).isTrue();
    advance(Duration.ofHours(1)); // idling saves up the burst only
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.tryAcquire()).isTrue();
    }
    assertThat(bucket.tryAcquire()).isFalse();
  }

  @Test
  void reservationsQueueCallersAtTheRateAndAGivenBackPermitGoesToTheNext() {
    TokenBucket bucket = new TokenBucket(4, 1, 1, nanos::get);
    assertThat(bucket.reserve()).isEqualTo(Duration.ZERO);
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(250));
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(500));
    assertThat(bucket.tryAcquire()).as("permits are owed to the queued callers").isFalse();
    bucket.giveBack();
    advance(Duration.ofMillis(500));
    assertThat(bucket.tryAcquire()).isTrue();
  }

  @Test
  void aHoldLetsNothingThroughThenOnePermitAndNoBurst() {
    TokenBucket bucket = new TokenBucket(10, 5, 5, nanos::get);
    bucket.holdUntil(nanos.get() + Duration.ofSeconds(2).toNanos());
    assertThat(bucket.tryAcquire()).isFalse();
    advance(Duration.ofSeconds(2));
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isFalse();
  }

  @Test
  void aShareSlowsTheRate() {
    TokenBucket bucket = new TokenBucket(10, 1, 0, nanos::get);
    bucket.share(0.5);
    assertThat(bucket.permitsPerSecond()).isEqualTo(5.0);
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(200));
    assertThatThrownBy(() -> bucket.share(0)).hasMessageContaining("share");
  }

  @Test
  void invalidSettingsAreRefused() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, 1, nanos::get))
        .hasMessageContaining("permits per second");
    assertThatThrownBy(() -> new TokenBucket(1, 0.5, 0, nanos::get)).hasMessageContaining("burst");
    assertThatThrownBy(() -> new TokenBucket(1, 1, 2, nanos::get)).hasMessageContaining("initial");
  }
}
