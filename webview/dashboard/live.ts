/**
 * A live run: updates are folded in and redrawn at most a few times a second; between updates
 * the running bars and the status line follow the clock. A big run is redrawn less often, so
 * the panel stays responsive.
 */
import { drawTimeline, renderAll, type DashboardPage } from './render';
import { tick } from './state';

const TICK_MS = 500;

/** Returns `scheduleRedraw`, for each live update. */
export function startLive(p: DashboardPage): () => void {
  let redrawTimer: ReturnType<typeof setTimeout> | null = null;
  /** How long the last full redraw took. */
  let lastRedrawMs = 0;
  let tickAt = 0;

  setInterval(() => {
    const { model, snapshot } = p.store.get();
    if (!model || !model.live || document.hidden || !snapshot) return;
    // Ticks cost what a timeline draw costs: on a big run they come less often.
    if (performance.now() < tickAt) return;
    const started = Date.parse(model.run.startedAt);
    const now = Number.isFinite(started)
      ? Math.max(model.nowMs, Date.now() - started)
      : model.nowMs;
    const moved = p.store.update(tick(now)).model;
    if (moved) p.view.header.render(moved);
    const t0 = performance.now();
    void drawTimeline(p).then(() => {
      tickAt = performance.now() + 4 * (performance.now() - t0);
    });
  }, TICK_MS);

  return () => {
    if (redrawTimer) return;
    redrawTimer = setTimeout(
      () => {
        redrawTimer = null;
        const t0 = performance.now();
        void renderAll(p, t0, false).then(() => {
          lastRedrawMs = performance.now() - t0;
        });
      },
      Math.max(250, 3 * lastRedrawMs),
    );
  };
}
