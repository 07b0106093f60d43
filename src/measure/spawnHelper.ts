/**
 * The spawn helper (`wp-reaper --serve`, native/serve.h), started once per runner process: it
 * forks a reaper per node without exec, so a node no longer costs Node forking its whole, large
 * process (2.8 ms from 59 MiB, 10 ms from 257 MiB) plus the reaper's exec. Each node's output,
 * exit and result come back as frames tagged with the node's key (helperFrames.ts).
 *
 * If the helper cannot start or dies, the process layer falls back to Node's spawn of the
 * one-shot reaper for every later node; a node whose reaper had not started yet is started that
 * way too. A node whose reaper was running when the helper died is not measured: its reaper got
 * the parent-death signal and kills its tree as it does when the runner dies, and we wait for it
 * to be gone before reporting the node's end, so nothing of the tree outlives the node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { decodeExit, decodeFrames, encodeFrame, encodeStart, type Frame } from './helperFrames';
import type { StartRequest } from './helperFrames';
import type { ChildEvents, NodeChild } from './nodeChild';
import { DEFAULT_GRACE_MS, signalName } from './reaper';

/** Set to 0 to spawn the one-shot reaper per node as before (a comparison, or a suspect helper). */
export const SPAWN_HELPER_ENV = 'WORKFLOW_PROFILER_SPAWN_HELPER';

/** After the helper died, how often we look whether a node's reaper is gone, and for how long. */
const GONE_POLL_MS = 20;
const GONE_WAIT_MS = DEFAULT_GRACE_MS + 3000;

/** Gone, or a zombie nobody reaped yet (its tree was killed before it exited). */
function isGone(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

function setRef(stream: object | null, referenced: boolean): void {
  if (!stream) return;
  const method = (stream as { ref?: unknown; unref?: unknown })[referenced ? 'ref' : 'unref'];
  if (typeof method === 'function') (method as () => void).call(stream);
}

class HelperNode implements NodeChild {
  private ownPid: number | undefined;
  private code: number | null = null;
  private sig: string | null = null;
  private result: string | null = null;
  private exited = false;
  private outEnded = false;
  private errEnded = false;
  private closed = false;
  /** The one-shot reaper started instead, when the helper died before this node's reaper. */
  private replaced: NodeChild | null = null;

  constructor(
    readonly key: number,
    private readonly helper: SpawnHelper,
    private readonly on: ChildEvents,
    private readonly fallback: () => NodeChild,
  ) {}

  get pid(): number | undefined {
    return this.replaced ? this.replaced.pid : this.ownPid;
  }
  get exitCode(): number | null {
    return this.replaced ? this.replaced.exitCode : this.code;
  }
  get signal(): string | null {
    return this.replaced ? this.replaced.signal : this.sig;
  }
  get resultText(): string | null | undefined {
    return this.replaced ? this.replaced.resultText : this.result;
  }

  terminate(): void {
    if (this.replaced) this.replaced.terminate();
    else this.helper.send(encodeFrame('C', this.key));
  }

  releaseOutput(): void {
    if (this.replaced) return this.replaced.releaseOutput();
    this.helper.send(encodeFrame('D', this.key));
    this.outEnded = true;
    this.errEnded = true;
    this.maybeClose();
  }

  handle(frame: Frame): void {
    const p = frame.payload;
    switch (frame.type) {
      case 'P':
        if (p.length < 4) return;
        this.ownPid = p.readInt32LE(0);
        this.on.started(this.ownPid);
        return;
      case 'F':
        this.closed = true;
        this.helper.forget(this.key);
        this.on.error(p.toString('utf8'));
        return;
      case 'O':
        return this.on.stdout(p);
      case 'E':
        return this.on.stderr(p);
      case 'o':
        this.outEnded = true;
        return this.maybeClose();
      case 'e':
        this.errEnded = true;
        return this.maybeClose();
      case 'R':
        this.result = p.toString('utf8');
        return;
      case 'X': {
        const { code, signal } = decodeExit(p);
        this.code = code;
        this.sig = signal !== null ? signalName(signal) : null;
        return this.exit();
      }
    }
  }

  /** The helper is gone: start elsewhere, or wait for the reaper to finish killing its tree. */
  helperDied(): void {
    if (this.closed || this.replaced) return;
    if (this.ownPid === undefined) {
      this.helper.forget(this.key);
      try {
        this.replaced = this.fallback();
      } catch (err) {
        this.closed = true;
        this.on.error(err instanceof Error ? err.message : String(err));
      }
      return;
    }
    this.outEnded = true;
    this.errEnded = true;
    if (this.exited) return this.maybeClose();
    this.on.stderr(
      Buffer.from(
        'workflow-profiler: the spawn helper died while this node ran; its reaper killed the tree\n',
      ),
    );
    const pid = this.ownPid;
    const deadline = Date.now() + GONE_WAIT_MS;
    const poll = (): void => {
      if (isGone(pid) || Date.now() >= deadline) this.exit();
      else setTimeout(poll, GONE_POLL_MS);
    };
    poll();
  }

  private exit(): void {
    if (this.exited) return;
    this.exited = true;
    this.on.exit();
    this.maybeClose();
  }

  private maybeClose(): void {
    if (this.closed || !this.exited || !this.outEnded || !this.errEnded) return;
    this.closed = true;
    this.helper.forget(this.key);
    this.on.close();
  }
}

export class SpawnHelper {
  private static current: SpawnHelper | null = null;
  /** Once the helper failed, this process uses the one-shot reaper: no restarting in a loop. */
  private static failed = false;

  /** The running helper for this reaper binary, started on first use; null: use Node's spawn. */
  static for(reaper: string): SpawnHelper | null {
    if (process.env[SPAWN_HELPER_ENV] === '0' || process.platform !== 'linux') return null;
    const c = SpawnHelper.current;
    if (c && (c.reaper === reaper || c.nodes.size > 0)) return c;
    if (SpawnHelper.failed) return null;
    c?.stop(); // another reaper binary (a test's, a rebuilt dist/): the idle old helper goes
    try {
      SpawnHelper.current = new SpawnHelper(reaper);
    } catch {
      SpawnHelper.failed = true;
      return null;
    }
    return SpawnHelper.current;
  }

  /** The running helper's pid (for tests that kill it). */
  static runningPid(): number | undefined {
    return SpawnHelper.current?.proc.pid;
  }

  private readonly proc: ChildProcess;
  private readonly nodes = new Map<number, HelperNode>();
  private nextKey = 1;
  private pending: Buffer = Buffer.alloc(0);
  private dead = false;

  private constructor(readonly reaper: string) {
    // stderr: the helper's own complaints (a bad frame) reach the runner's log.
    this.proc = spawn(reaper, ['--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
    if (this.proc.pid === undefined) {
      this.proc.on('error', () => undefined);
      throw new Error('the spawn helper did not start');
    }
    this.proc.on('error', () => this.died());
    // 'close', not 'exit': frames it sent before dying are still in the pipe until then.
    this.proc.once('close', () => this.died());
    this.proc.stdin?.on('error', () => undefined); // EPIPE once it died: 'exit' handles that
    this.proc.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
    this.setReferenced(false);
  }

  /** Starts one node's reaper; `fallback` starts it with Node's spawn should the helper die first. */
  start(req: StartRequest, on: ChildEvents, fallback: () => NodeChild): NodeChild {
    const key = this.nextKey++;
    const frame = encodeStart(key, req);
    if (!frame || this.dead) return fallback();
    const node = new HelperNode(key, this, on, fallback);
    this.nodes.set(key, node);
    // Only while nodes run: an idle helper must not keep the runner alive.
    if (this.nodes.size === 1) this.setReferenced(true);
    this.send(frame);
    return node;
  }

  send(frame: Buffer): void {
    if (!this.dead) this.proc.stdin?.write(frame);
  }

  forget(key: number): void {
    this.nodes.delete(key);
    if (this.nodes.size === 0) this.setReferenced(false);
  }

  private receive(chunk: Buffer): void {
    const { frames, rest, error } = decodeFrames(this.pending, chunk);
    this.pending = rest;
    for (const f of frames) this.nodes.get(f.key)?.handle(f);
    if (error) {
      process.stderr.write(`workflow-profiler: the spawn helper sent a ${error}; stopping it\n`);
      this.proc.kill('SIGKILL');
    }
  }

  private died(): void {
    if (this.dead) return;
    this.dead = true;
    SpawnHelper.failed = true;
    if (SpawnHelper.current === this) SpawnHelper.current = null;
    for (const node of [...this.nodes.values()]) node.helperDied();
  }

  private stop(): void {
    this.dead = true;
    this.proc.stdin?.end();
  }

  private setReferenced(referenced: boolean): void {
    if (referenced) this.proc.ref();
    else this.proc.unref();
    setRef(this.proc.stdin, referenced);
    setRef(this.proc.stdout, referenced);
  }
}
