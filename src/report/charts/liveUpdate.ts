/**
 * Folding a live run's updates into the snapshot the dashboard draws: tasks replace by
 * (nodeId, attempt), new ones append (a nested workflow's nodes appear as they start), samples
 * append. Pure: the snapshot given is not modified.
 */
import type { DashboardSnapshot, DashboardUpdate } from '../../protocol/dashboard';

export function applyUpdate(
  snapshot: DashboardSnapshot,
  update: DashboardUpdate,
): DashboardSnapshot {
  if (update.runId !== snapshot.run.id) return snapshot;
  const key = (nodeId: string, attempt: number): string => `${attempt}\u0000${nodeId}`;
  const tasks = snapshot.run.tasks.slice();
  const at = new Map(tasks.map((t, i) => [key(t.nodeId, t.attempt), i]));
  for (const t of update.tasks) {
    const i = at.get(key(t.nodeId, t.attempt));
    if (i === undefined) {
      at.set(key(t.nodeId, t.attempt), tasks.length);
      tasks.push(t);
    } else tasks[i] = t;
  }
  const plan = snapshot.plan.slice();
  const planned = new Set(plan.map((p) => p.nodeId));
  for (const t of update.tasks) {
    if (planned.has(t.nodeId)) continue;
    planned.add(t.nodeId);
    plan.push({ nodeId: t.nodeId, type: t.type, needs: t.needs, parentId: t.parentId });
  }
  return {
    ...snapshot,
    run: {
      ...snapshot.run,
      status: update.status,
      wallMs: update.wallMs,
      endedAt: update.endedAt,
      tasks,
    },
    samples: update.samples.length > 0 ? snapshot.samples.concat(update.samples) : snapshot.samples,
    plan,
    live: update.status === 'running',
    sentAt: update.sentAt,
  };
}
