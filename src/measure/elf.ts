/**
 * Just enough of an ELF header to tell which machine a binary is for and whether it is linked
 * statically. The runner checks the reaper with it before running it (a binary for another
 * architecture fails with ENOEXEC, or runs under an emulator and measures the emulator), and the
 * package tests check every packaged reaper against its target with it.
 */
import * as fs from 'node:fs';

/** e_machine values of the architectures Node runs on (elf.h). */
const MACHINE_OF_ARCH: Partial<Record<NodeJS.Architecture, number>> = {
  ia32: 3,
  arm: 40,
  ppc64: 21,
  s390x: 22,
  x64: 62,
  arm64: 183,
  riscv64: 243,
  loong64: 258,
};

const MACHINE_NAMES = new Map<number, string>([
  [3, 'x86'],
  [21, 'ppc64'],
  [22, 's390x'],
  [40, 'arm'],
  [62, 'x86-64'],
  [183, 'aarch64'],
  [243, 'riscv'],
  [258, 'loongarch'],
]);

export interface ElfInfo {
  /** 32 or 64. */
  bits: 32 | 64;
  littleEndian: boolean;
  /** e_machine: 62 for x86-64, 183 for aarch64. */
  machine: number;
  /** e_type: 2 for an executable, 3 for a shared object (also a position-independent executable). */
  type: number;
  /** Has a PT_INTERP program header: the kernel starts a dynamic loader, so it needs a libc. */
  hasInterpreter: boolean;
  /** Has a PT_DYNAMIC program header (a static-pie has one without an interpreter). */
  hasDynamic: boolean;
}

const PT_DYNAMIC = 2;
const PT_INTERP = 3;

/** Parses the header and program headers of an ELF file, or returns null when it is not one. */
export function parseElf(buf: Buffer): ElfInfo | null {
  if (buf.length < 52 || buf.readUInt32BE(0) !== 0x7f454c46) return null;
  const bits = buf[4] === 2 ? 64 : buf[4] === 1 ? 32 : null;
  const littleEndian = buf[5] === 1;
  if (bits === null || (buf[5] !== 1 && buf[5] !== 2)) return null;
  const u16 = (at: number): number => (littleEndian ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
  const u32 = (at: number): number => (littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const addr = (at: number): number =>
    bits === 64
      ? Number(littleEndian ? buf.readBigUInt64LE(at) : buf.readBigUInt64BE(at))
      : u32(at);
  const type = u16(16);
  const machine = u16(18);
  const phoff = addr(bits === 64 ? 32 : 28);
  const phentsize = u16(bits === 64 ? 54 : 42);
  const phnum = u16(bits === 64 ? 56 : 44);
  let hasInterpreter = false;
  let hasDynamic = false;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > buf.length) return null;
    const pType = u32(at);
    if (pType === PT_INTERP) hasInterpreter = true;
    if (pType === PT_DYNAMIC) hasDynamic = true;
  }
  return { bits, littleEndian, machine, type, hasInterpreter, hasDynamic };
}

/** Reads the start of a file (headers are within the first pages) and parses it. */
export function readElf(file: string): ElfInfo | null {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return parseElf(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

/** The e_machine a binary must have to run natively here, or null for an architecture not listed. */
export function machineOfArch(arch: NodeJS.Architecture): number | null {
  return MACHINE_OF_ARCH[arch] ?? null;
}

/** A person's name for an e_machine value ("aarch64"), or "ELF machine N". */
export function machineName(machine: number): string {
  return MACHINE_NAMES.get(machine) ?? `ELF machine ${machine}`;
}
