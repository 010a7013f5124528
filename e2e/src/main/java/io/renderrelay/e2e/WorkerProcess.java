package io.renderrelay.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker in its own JVM ({@code io.renderrelay.worker.app.Main}), configured only through
 * RENDER_RELAY_* environment variables as in production, with its output in a log file. For tests
 * that kill it ({@link #kill()}, SIGKILL) or stop it gracefully ({@link #terminate()}, SIGTERM).
 */
public final class WorkerProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final CompletableFuture<String> ready = new CompletableFuture<>();

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread.ofPlatform().daemon().name("worker-out-" + process.pid()).start(this::pump);
  }

  /** Starts a worker JVM with this JVM's classpath and the given settings. */
  public static WorkerProcess start(Map<String, String> env, Path log, String heap) {
    return start(env, List.of(), log, heap);
  }

  /**
   * Starts a worker JVM with this JVM's classpath, the given settings and extra JVM options (e.g. a
   * test-only system property).
   */
  public static WorkerProcess start(
      Map<String, String> env, List<String> jvmOptions, Path log, String heap) {
    return start(env, jvmOptions, List.of(), log, heap);
  }

  /**
   * As {@link #start(Map, List, Path, String)}, with {@code classpathFirst} ahead of this JVM's
   * classpath (classes there shadow this build's).
   */
  public static WorkerProcess start(
      Map<String, String> env,
      List<String> jvmOptions,
      List<String> classpathFirst,
      Path log,
      String heap) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-XX:+UseSerialGC");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    List<String> classpath = new ArrayList<>(classpathFirst);
    classpath.add(System.getProperty("java.class.path"));
    cmd.add(String.join(java.io.File.pathSeparator, classpath));
    cmd.add("io.renderrelay.worker.app.Main");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("RENDER_RELAY_"));
    pb.environment().putAll(env);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      return new WorkerProcess(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a worker process", e);
    }
  }

  /** Waits for the worker's READY line (the worker prints it on stderr, merged here). */
  public WorkerProcess awaitReady(Duration timeout) throws Exception {
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return this;
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "worker did not get ready within "
              + timeout
              + "; alive="
              + process.isAlive()
              + ", see "
              + log,
          e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no drain, no commit. */
  public void kill() throws InterruptedException {
    // Through the handle: Process.destroy* would also close our end of the output pipe.
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the worker drains and commits within its grace period; returns the exit code. */
  public int terminate(Duration timeout) throws InterruptedException {
    // Through the handle: Process.destroy() would also close our end of the output pipe, so the
    // drain's log lines would be lost (and the worker would write into a broken pipe).
    process.toHandle().destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("worker did not exit within " + timeout + " after SIGTERM");
    }
    return process.exitValue();
  }

  /** SIGSTOP: the process freezes (as in a long GC pause) until {@link #resume()}. */
  public void suspend() throws InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #suspend()}. */
  public void resume() throws InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill -" + name, e);
    }
  }

  public Path log() {
    return log;
  }

  private void pump() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("READY worker")) {
          ready.complete(line);
        }
        Files.writeString(
            log,
            line + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
    ready.completeExceptionally(
        new IllegalStateException("worker exited before it was ready; see " + log));
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
