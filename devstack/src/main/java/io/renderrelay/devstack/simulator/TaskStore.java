package io.renderrelay.devstack.simulator;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** All tasks ever created by this simulator, by task id. */
final class TaskStore {
  private final Map<String, SimTask> tasks = new ConcurrentHashMap<>();

  void put(SimTask task) {
    tasks.put(task.taskId(), task);
  }

  Optional<SimTask> get(String taskId) {
    return taskId == null ? Optional.empty() : Optional.ofNullable(tasks.get(taskId));
  }

  Collection<SimTask> all() {
    return tasks.values();
  }
}
