package io.renderrelay.serde;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A lock-free-read cache with a hard size bound. When full, an arbitrary entry is evicted: the
 * serde's working set (a handful of schemas) is far below any sensible capacity, so the bound only
 * protects against unbounded growth (for example an id scan by a misbehaving producer).
 */
final class BoundedCache<K, V> {

  private final int capacity;
  private final ConcurrentHashMap<K, V> map;

  BoundedCache(int capacity) {
    this.capacity = capacity;
    this.map = new ConcurrentHashMap<>(Math.min(capacity, 64));
  }

  V get(K key) {
    return map.get(key);
  }

  /** Returns the cached value or loads it; the loader runs outside any lock. */
  V computeIfAbsent(K key, Function<? super K, ? extends V> loader) {
    V v = map.get(key);
    if (v != null) {
      return v;
    }
    V loaded = loader.apply(key);
    put(key, loaded);
    return loaded;
  }

  void put(K key, V value) {
    if (map.size() >= capacity && !map.containsKey(key)) {
      Iterator<K> it = map.keySet().iterator();
      while (map.size() >= capacity && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    map.put(key, value);
  }

  int size() {
    return map.size();
  }
}
