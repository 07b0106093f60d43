/**
 * Draws a page's charts screen first: those in or near the viewport at once, the rest when
 * scrolled near (an IntersectionObserver) or when the browser is idle, one per idle slot. Two
 * signals come out: the first screen drawn (what a user waits for) and every chart drawn (what
 * screenshots and the editor tests wait for).
 */
import type { ChartSpec } from '../../src/report/charts/chartSpec';
import type { ChartBoard } from './chartBoard';

export interface ChartJob {
  id: string;
  /** Runs just before the chart is drawn, so a deferred chart reads the page's state then. */
  build: () => ChartSpec;
}

export interface LazyDraw {
  /** The charts of the first screen, once ECharts finished them: ids of those that drew. */
  firstScreen: Promise<string[]>;
  /** Every chart, once ECharts finished them: ids of those that drew, in page order. */
  all: Promise<string[]>;
  /** Stops drawing the deferred charts (a newer render replaces this one). */
  cancel(): void;
}

/** How far below the viewport a chart still counts as near: drawn before it scrolls in. */
const NEAR_PX = 300;
/** An idle slot comes within this even on a busy page, so every chart is drawn soon. */
const IDLE_TIMEOUT_MS = 1000;

export function drawLazily(
  board: ChartBoard,
  jobs: readonly ChartJob[],
  /** Called with each chart's build and draw-call times (ms), for the phase timings. */
  record: (phase: string, ms: number) => void = () => undefined,
): LazyDraw {
  const draws = new Map<string, Promise<boolean>>();
  let cancelled = false;
  let observer: IntersectionObserver | null = null;
  let finishAll: () => void = () => undefined;
  const allStarted = new Promise<void>((resolve) => (finishAll = resolve));
  const draw = (job: ChartJob): void => {
    if (cancelled || draws.has(job.id)) return;
    const t0 = performance.now();
    const spec = job.build();
    const t1 = performance.now();
    record(`build:${job.id}`, t1 - t0);
    draws.set(job.id, board.show(spec));
    record(`draw:${job.id}`, performance.now() - t1);
    const el = board.root(job.id);
    if (el) observer?.unobserve(el);
    if (draws.size === jobs.length) finishAll();
  };
  const drawnIds = async (list: readonly ChartJob[]): Promise<string[]> => {
    const drawn = await Promise.all(list.map((j) => draws.get(j.id) ?? Promise.resolve(false)));
    return list.filter((_, i) => drawn[i]).map((j) => j.id);
  };

  // Each chart drawn grows its box before the next is measured, so "near" is read as laid out.
  const near = (id: string): boolean =>
    (board.root(id)?.getBoundingClientRect().top ?? 0) < window.innerHeight + NEAR_PX;
  const first: ChartJob[] = [];
  for (const j of jobs) {
    if (!near(j.id)) continue;
    draw(j);
    first.push(j);
  }
  const deferred = jobs.filter((j) => !draws.has(j.id));
  if (deferred.length === 0) finishAll();

  observer = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        const job = deferred.find((j) => board.root(j.id) === e.target);
        if (e.isIntersecting && job) draw(job);
      }
    },
    { rootMargin: `0px 0px ${NEAR_PX}px 0px` },
  );
  for (const j of deferred) {
    const el = board.root(j.id);
    if (el) observer.observe(el);
  }
  const firstScreen = drawnIds(first);
  // The rest only once the first screen is painted, in page order, one per idle slot (not
  // waiting for each to finish painting: a hidden panel never paints, and the page would wait
  // out each chart's timeout in turn).
  const idleNext = (): void => {
    const job = deferred.find((j) => !draws.has(j.id));
    if (cancelled || !job) return;
    draw(job);
    requestIdleCallback(idleNext, { timeout: IDLE_TIMEOUT_MS });
  };
  void firstScreen.then(() => requestIdleCallback(idleNext, { timeout: IDLE_TIMEOUT_MS }));
  return {
    firstScreen,
    all: allStarted.then(() => drawnIds(jobs)),
    cancel: () => {
      cancelled = true;
      observer?.disconnect();
    },
  };
}
