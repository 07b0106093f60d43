/** What the suite ran on, printed with the results: figures mean little without it. */
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  ramBytes: number;
  kernel: string;
  os: string;
  node: string;
  arch: string;
  /** 1-minute load average when the suite started and ended: other work moves both sides. */
  loadAtStart: number;
  loadAtEnd: number | null;
}

function cpuModel(): string {
  try {
    const text = fs.readFileSync('/proc/cpuinfo', 'utf8');
    for (const key of ['model name', 'Hardware', 'cpu model', 'Processor']) {
      const m = new RegExp(`^${key}\\s*:\\s*(.+)$`, 'm').exec(text);
      if (m?.[1]) return m[1].trim();
    }
  } catch {
    // not Linux: fall through
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'));
    if (m?.[1]) return m[1];
  } catch {
    // no os-release
  }
  return `${os.type()} ${os.release()}`;
}

export function describeMachine(): Machine {
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism(),
    ramBytes: os.totalmem(),
    kernel: `${os.type()} ${os.release()}`,
    os: osName(),
    node: process.version,
    arch: process.arch,
    loadAtStart: os.loadavg()[0] ?? 0,
    loadAtEnd: null,
  };
}

export function machineLine(m: Machine): string {
  const gib = (m.ramBytes / 1024 ** 3).toFixed(1);
  return (
    `${m.cpuModel}, ${m.cores} cores, ${gib} GiB RAM, ${m.kernel}, ${m.os}, Node ${m.node} ` +
    `(${m.arch}); load ${m.loadAtStart.toFixed(2)} at start` +
    (m.loadAtEnd !== null ? `, ${m.loadAtEnd.toFixed(2)} at end` : '')
  );
}
