package io.renderrelay.worker.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1:0 in front of an S3 endpoint that fails the next object PUTs mid-body,
 * the way S3 does under load: after {@code afterBytes} of the body it answers 503 SlowDown or
 * resets the connection; or changes one body byte on the way, or loses the store's answer. Every
 * forwarded request is sent with {@code Connection: close}, so each request has a connection of its
 * own and is inspected.
 */
final class FaultyS3Proxy implements AutoCloseable {
  /** How a failed PUT ends. */
  enum Fault {
    SLOW_DOWN,
    RESET,
    /** 412 on the headers, before any body byte (S3 with Expect: 100-continue, key taken). */
    PRECONDITION_FAILED,
    /** Forwarded with the body byte at {@code bytes} flipped (a device that changes the body). */
    CORRUPT,
    /** Forwarded whole and stored, then the store's answer replaced by a 500 (answer lost). */
    LOST_RESPONSE
  }

  private static final String SLOW_DOWN_BODY =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
          + "<Message>Please reduce your request rate.</Message></Error>";

  private static final String INTERNAL_ERROR_BODY =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code>"
          + "<Message>We encountered an internal error. Please try again.</Message></Error>";

  private static final String PRECONDITION_BODY =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed</Code>"
          + "<Message>At least one of the pre-conditions you specified did not hold</Message>"
          + "<Condition>If-None-Match</Condition></Error>";

  private final ServerSocket server;
  private final int upstreamPort;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private volatile Fault fault = Fault.SLOW_DOWN;
  private volatile long afterBytes;

  FaultyS3Proxy(URI upstream) throws IOException {
    this.upstreamPort = upstream.getPort();
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The next {@code count} object PUTs fail with {@code how} after {@code bytes} body bytes. */
  void failPuts(int count, Fault how, long bytes) {
    fault = how;
    afterBytes = bytes;
    failuresLeft.set(count);
  }

  /** PUTs failed so far. */
  int failed() {
    return failed.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      if (head.isEmpty()) {
        return;
      }
      boolean faulted = isObjectPut(head) && failuresLeft.getAndDecrement() > 0;
      if (faulted && fault == Fault.LOST_RESPONSE) {
        failed.incrementAndGet();
        loseResponse(client, head, in);
      } else if (faulted && fault == Fault.CORRUPT) {
        failed.incrementAndGet();
        forward(client, head, in, afterBytes);
      } else if (faulted) {
        fail(client, head, in);
      } else {
        forward(client, head, in, -1);
      }
    } catch (IOException e) {
      // a side went away: so does the other
    }
  }

  /** Forwards the request and the answer; the body byte at {@code flipAt} flipped if >= 0. */
  private void forward(Socket client, String head, InputStream in, long flipAt) throws IOException {
    try (Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
      OutputStream upOut = up.getOutputStream();
      upOut.write(withConnectionClose(head, false).getBytes(StandardCharsets.ISO_8859_1));
      threads.execute(() -> pump(in, upOut, flipAt));
      up.getInputStream().transferTo(client.getOutputStream());
    }
  }

  /** The store gets the whole request and answers; the client gets a 500 instead. */
  private void loseResponse(Socket client, String head, InputStream in) throws IOException {
    OutputStream out = client.getOutputStream();
    if (head.toLowerCase(Locale.ROOT).contains("expect: 100-continue")) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    try (Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
      OutputStream upOut = up.getOutputStream();
      upOut.write(withConnectionClose(head, true).getBytes(StandardCharsets.ISO_8859_1));
      threads.execute(() -> pump(in, upOut, -1));
      up.getInputStream().readAllBytes(); // the store's answer, lost on the way back
    }
    respond(out, "500 Internal Server Error", INTERNAL_ERROR_BODY);
  }

  private void fail(Socket client, String head, InputStream in) throws IOException {
    failed.incrementAndGet();
    OutputStream out = client.getOutputStream();
    if (fault == Fault.PRECONDITION_FAILED) {
      respond(out, "412 Precondition Failed", PRECONDITION_BODY);
      return;
    }
    if (head.toLowerCase(Locale.ROOT).contains("expect: 100-continue")) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    in.readNBytes(Math.toIntExact(afterBytes));
    if (fault == Fault.RESET) {
      client.setSoLinger(true, 0);
      return; // closing with linger 0 sends RST
    }
    respond(out, "503 Slow Down", SLOW_DOWN_BODY);
  }

  private static void respond(OutputStream out, String status, String body) throws IOException {
    out.write(
        ("HTTP/1.1 "
                + status
                + "\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.length()
                + "\r\nConnection: close\r\n\r\n"
                + body)
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static void pump(InputStream in, OutputStream out, long flipAt) {
    try {
      if (flipAt >= 0) {
        out.write(in.readNBytes(Math.toIntExact(flipAt)));
        int b = in.read();
        if (b >= 0) {
          out.write(b ^ 0x01);
        }
      }
      in.transferTo(out);
    } catch (IOException e) {
      // closed
    }
  }

  private static boolean isObjectPut(String head) {
    String target = head.substring(0, head.indexOf("\r\n")).split(" ")[1];
    // path style: /bucket/key, no query (UploadPart and the like carry one)
    return head.startsWith("PUT ")
        && !target.contains("?")
        && target.indexOf('/', 1) > 0
        && target.indexOf('/', 1) < target.length() - 1;
  }

  private static String withConnectionClose(String head, boolean dropExpect) {
    StringBuilder b = new StringBuilder();
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("connection:") && !(dropExpect && lower.startsWith("expect:"))) {
        b.append(line).append("\r\n");
      }
    }
    return b.append("Connection: close\r\n\r\n").toString();
  }

  /** The request line and headers, without their final empty line; empty when the peer closed. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        return "";
      }
      head.write(c);
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.length() - 4);
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
