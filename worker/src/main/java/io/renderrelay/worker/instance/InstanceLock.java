package io.renderrelay.worker.instance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Claims an instance id on this host: an exclusive lock on {@code <ledgerDir>/<instanceId>.lock},
 * held for the life of the process. A second process with the same instance id (two workers on one
 * host with a blank {@code instance.id} fall back to the same host name) would share the
 * transactional id and the ledger directory and fence each other in a loop; it is refused at start
 * instead. The operating system releases the lock when the process dies, even by SIGKILL.
 */
public final class InstanceLock implements AutoCloseable {

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private InstanceLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code instanceId} under {@code ledgerDir}.
   *
   * @throws DuplicateInstanceException when another process (or another worker in this JVM) holds
   *     it
   * @throws IOException when the lock file cannot be created
   */
  public static InstanceLock acquire(Path ledgerDir, String instanceId) throws IOException {
    Files.createDirectories(ledgerDir);
    Path file = ledgerDir.resolve(instanceId + ".lock");
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw new DuplicateInstanceException(
          "instance id '"
              + instanceId
              + "' is already in use on this host ("
              + holder
              + " holds "
              + file
              + "): two workers with one instance id share a transactional id and a ledger"
              + " directory and fence each other. Give each process its own instance.id"
              + " (RENDER_RELAY_INSTANCE_ID), e.g. the pod name.");
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap(
            ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
        0);
    return new InstanceLock(file, channel, lock);
  }

  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(64);
      channel.read(buffer, 0);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      return text.isBlank() ? "another process" : text.strip();
    } catch (IOException e) {
      return "another process";
    }
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }

  /** Another process already runs with this instance id. */
  public static final class DuplicateInstanceException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DuplicateInstanceException(String message) {
      super(message);
    }
  }
}
