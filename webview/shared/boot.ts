/**
 * How a panel page starts: it listens for the host's (validated) messages, then shows the
 * snapshot embedded in standalone HTML, or, inside VS Code, posts `ready` for the host to answer
 * with one, or else says there is no data.
 */
import { embeddedSnapshot, onHostMessage } from './vscodeApi';

export interface BootOptions<FromHost, Snapshot> {
  api: { readonly inVsCode: boolean; post(message: { type: 'ready' }): void };
  /** The page script's start: an embedded snapshot's time to drawn counts from it. */
  startedAt: number;
  isHostMessage: (m: unknown) => m is FromHost;
  onHostMessage: (m: FromHost) => void;
  isSnapshot: (v: unknown) => v is Snapshot;
  showSnapshot(s: Snapshot, t0: number): void;
  noData(): void;
}

export function boot<FromHost, Snapshot>(o: BootOptions<FromHost, Snapshot>): void {
  onHostMessage(o.isHostMessage, o.onHostMessage);
  const embedded = embeddedSnapshot();
  if (o.isSnapshot(embedded)) o.showSnapshot(embedded, o.startedAt);
  else if (o.api.inVsCode) o.api.post({ type: 'ready' });
  else o.noData();
}
