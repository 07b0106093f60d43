/**
 * The runner process: forked by the CLI or the extension host, it runs one workflow, owns its
 * run folder and reports typed events. If its parent goes away it cancels the run, so no node
 * outlives the editor or terminal that started it.
 */
import { runWorkflow } from '../runtime/runWorkflow';
import { renderReport } from '../report/markdown';
import { finaliseRun } from '../report/whatif/finalise';
import type { ParentMessage, RunnerEvent } from '../protocol/runner';
import { fatalMessageOf } from '../runtime/runOutcome';
import { LiveSampleBatcher } from '../protocol/liveSampleBatcher';

/**
 * Messages handed to the IPC channel and not yet written. A large message (run-finished of a
 * run with hundreds of tasks) is written asynchronously, and disconnect() would drop it: the
 * channel is closed only once every message sent so far has been written.
 */
let pendingSends = 0;
let onSendsDone: (() => void) | null = null;

function send(event: RunnerEvent): void {
  if (!process.connected || !process.send) return;
  pendingSends++;
  process.send(event, undefined, undefined, () => {
    pendingSends--;
    if (pendingSends === 0 && onSendsDone) onSendsDone();
  });
}

function disconnectWhenSent(): void {
  const disconnect = (): void => {
    if (process.connected) process.disconnect();
  };
  if (pendingSends === 0) disconnect();
  else onSendsDone = disconnect;
}

/** Live samples go out in batches; every other event through it passes at once. */
const live = new LiveSampleBatcher(send);

const controller = new AbortController();
let started = false;

const cancel = (reason: string): void => {
  if (!controller.signal.aborted) controller.abort(reason);
};

process.on('SIGINT', () => cancel('interrupted (SIGINT)'));
process.on('SIGTERM', () => cancel('terminated (SIGTERM)'));
process.on('disconnect', () => cancel('the process that started the run went away'));

process.on('message', (raw: unknown) => {
  const msg = raw as ParentMessage;
  if (msg.type === 'cancel') {
    cancel(msg.reason);
  } else if (msg.type === 'flush-samples') {
    live.flush();
  } else if (msg.type === 'start' && !started) {
    started = true;
    runWorkflow(msg.request, controller.signal, live.emit, renderReport, finaliseRun)
      .catch((err: unknown) => live.emit({ type: 'fatal', message: fatalMessageOf(err) }))
      .finally(() => {
        live.flush();
        disconnectWhenSent();
      });
  }
});

if (!process.send) {
  process.stderr.write('runner.js is started by the CLI or the editor extension, not by hand\n');
  process.exit(2);
}
