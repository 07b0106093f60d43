/**
 * The runner process: forked by the CLI or the extension host, it runs one workflow, owns its
 * run folder and reports typed events. If its parent goes away it cancels the run, so no node
 * outlives the editor or terminal that started it.
 */
import { runWorkflow } from './runWorkflow';
import type { ParentMessage, RunnerEvent } from './events';

function send(event: RunnerEvent): void {
  if (process.connected && process.send) process.send(event);
}

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
  } else if (msg.type === 'start' && !started) {
    started = true;
    runWorkflow(msg.request, controller.signal, send)
      .catch((err: unknown) =>
        send({
          type: 'fatal',
          message: err instanceof Error ? (err.stack ?? err.message) : String(err),
        }),
      )
      .finally(() => {
        if (process.connected) process.disconnect();
      });
  }
});

if (!process.send) {
  process.stderr.write('runner.js is started by the CLI or the editor extension, not by hand\n');
  process.exit(2);
}
