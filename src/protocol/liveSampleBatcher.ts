/**
 * Live samples leave the runner in batches: every tick's samples would be one IPC message each
 * (a JSON serialisation and a pipe write in the runner, a parse in the parent, 10 a second), when
 * a live chart needs them a few times a second. Samples are held for at most `everyMs` (or until
 * the parent asks for them, `flush-samples`), in the order they came; every other event passes at
 * once, and the end of a run (run-finished, invalid, fatal) sends what is held first, so no sample
 * is lost or arrives after its run ended. The run's samples.ndjson does not go through here.
 */
import type { Sample } from '../model/run';
import type { RunnerEvent } from './runner';

/** How long live samples are held at most, by default. */
export const LIVE_SAMPLES_EVERY_MS = 500;

/** Events after which the parent expects no more samples of the run. */
const ENDS_RUN: ReadonlySet<RunnerEvent['type']> = new Set(['run-finished', 'invalid', 'fatal']);

export class LiveSampleBatcher {
  private runId: string | null = null;
  private held: Sample[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (event: RunnerEvent) => void,
    private readonly everyMs = LIVE_SAMPLES_EVERY_MS,
  ) {}

  /** Sends an event, holding samples back (see the module comment). */
  emit = (event: RunnerEvent): void => {
    if (event.type !== 'samples') {
      if (ENDS_RUN.has(event.type)) this.flush();
      this.send(event);
      return;
    }
    // A runner runs one run; should another ever share the sink, each batch stays one run's.
    if (this.runId !== null && this.runId !== event.runId) this.flush();
    this.runId = event.runId;
    for (const s of event.samples) this.held.push(s);
    if (this.timer === null && this.held.length > 0) {
      this.timer = setTimeout(() => this.flush(), this.everyMs);
      // Held samples never keep the runner alive: the run's end flushes them.
      this.timer.unref();
    }
  };

  /** Sends every held sample now, as one event. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.runId === null || this.held.length === 0) return;
    const samples = this.held;
    this.held = [];
    this.send({ type: 'samples', runId: this.runId, samples });
  }
}
