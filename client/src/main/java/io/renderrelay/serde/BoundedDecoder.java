package io.renderrelay.serde;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one payload that never allocates for a length the payload cannot hold.
 *
 * <p>Avro's own decoder trusts the length prefixes it reads: a 13-byte payload that claims a
 * 2-billion-byte string, bytes value or array makes it allocate that much before it notices the
 * data is missing (out of memory for a worker). Here every string, bytes and fixed length is
 * checked against the bytes left in the payload first, and collection blocks are handed to the
 * reader in chunks of at most {@value #MAX_CHUNK} items (Avro readers pre-size collections by the
 * block count; splitting a block into smaller blocks is invisible to them). Items that take no
 * bytes (nulls, empty records) are the only way a collection can hold more items than the payload
 * has bytes, so the items of one payload are capped at its length plus {@value
 * #MAX_ZERO_SIZE_ITEMS}.
 */
final class BoundedDecoder extends Decoder {

  static final int MAX_CHUNK = 1024;
  static final long MAX_ZERO_SIZE_ITEMS = 1L << 20;

  private final ByteArrayInputStream in;
  private final BinaryDecoder wire;
  private final long maxItems;

  /** Per open array or map (innermost first): items of its current block not yet handed out. */
  private final Deque<long[]> open = new ArrayDeque<>();

  private long items;

  BoundedDecoder(byte[] data, int offset, int length) {
    this.in = new ByteArrayInputStream(data, offset, length);
    this.wire = DecoderFactory.get().directBinaryDecoder(in, null);
    this.maxItems = length + MAX_ZERO_SIZE_ITEMS;
  }

  /** True when every byte of the payload was consumed. */
  boolean isEnd() {
    return in.available() == 0;
  }

  private int checked(long length, String what) throws IOException {
    if (length < 0) {
      throw new AvroRuntimeException("Malformed data: " + what + " length is negative: " + length);
    }
    int left = in.available();
    if (length > left) {
      throw new EOFException(
          what + " length " + length + " exceeds the " + left + " bytes left in the payload");
    }
    return (int) length;
  }

  @Override
  public void readNull() throws IOException {
    wire.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return wire.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return wire.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return wire.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return wire.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return wire.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = checked(wire.readLong(), "string");
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    wire.readFixed(result.getBytes(), 0, length);
    return result;
  }

  @Override
  public String readString() throws IOException {
    return readString(null).toString();
  }

  @Override
  public void skipString() throws IOException {
    wire.skipFixed(checked(wire.readLong(), "string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = checked(wire.readLong(), "bytes");
    ByteBuffer result =
        old != null && old.hasArray() && length <= old.capacity()
            ? old.clear()
            : ByteBuffer.allocate(length);
    wire.readFixed(result.array(), result.arrayOffset(), length);
    result.limit(length);
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    wire.skipFixed(checked(wire.readLong(), "bytes"));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    wire.readFixed(bytes, start, checked(length, "fixed"));
  }

  @Override
  public void skipFixed(int length) throws IOException {
    wire.skipFixed(checked(length, "fixed"));
  }

  @Override
  public int readEnum() throws IOException {
    return wire.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return start(wire.readArrayStart());
  }

  @Override
  public long arrayNext() throws IOException {
    return next(true);
  }

  @Override
  public long skipArray() throws IOException {
    return wire.skipArray();
  }

  @Override
  public long readMapStart() throws IOException {
    return start(wire.readMapStart());
  }

  @Override
  public long mapNext() throws IOException {
    return next(false);
  }

  @Override
  public long skipMap() throws IOException {
    return wire.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return wire.readIndex();
  }

  private long start(long blockItems) {
    open.push(new long[] {blockItems});
    return take();
  }

  private long next(boolean array) throws IOException {
    long[] current = open.peek();
    if (current == null) {
      throw new AvroRuntimeException("Malformed data: a collection continues that never started");
    }
    if (current[0] == 0) {
      current[0] = array ? wire.arrayNext() : wire.mapNext();
    }
    return take();
  }

  /** Hands out the next chunk of the innermost collection's block; closes it at its end. */
  private long take() {
    long[] current = open.peek();
    long n = Math.min(current[0], MAX_CHUNK);
    current[0] -= n;
    if (n == 0) {
      open.pop();
      return 0;
    }
    items += n;
    if (items > maxItems) {
      throw new AvroRuntimeException(
          "Malformed data: the collections claim more than "
              + maxItems
              + " items, more than a payload of "
              + (maxItems - MAX_ZERO_SIZE_ITEMS)
              + " bytes can hold");
    }
    return n;
  }
}
