/** The ELF reader behind the reaper's architecture check and the package tests. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { machineName, machineOfArch, parseElf } from '../../src/measure/elf';

/** A little-endian ELF64 header with the given program header types. */
function elf64(machine: number, programHeaders: number[]): Buffer {
  const buf = Buffer.alloc(64 + 56 * programHeaders.length);
  buf.writeUInt32BE(0x7f454c46, 0);
  buf[4] = 2; // 64-bit
  buf[5] = 1; // little-endian
  buf.writeUInt16LE(2, 16); // ET_EXEC
  buf.writeUInt16LE(machine, 18);
  buf.writeBigUInt64LE(64n, 32); // e_phoff
  buf.writeUInt16LE(56, 54); // e_phentsize
  buf.writeUInt16LE(programHeaders.length, 56);
  programHeaders.forEach((type, i) => buf.writeUInt32LE(type, 64 + 56 * i));
  return buf;
}

test('machine and linking are read from the headers', () => {
  const staticArm = parseElf(elf64(183, [1, 1]));
  assert.deepEqual(staticArm, {
    bits: 64,
    littleEndian: true,
    machine: 183,
    type: 2,
    hasInterpreter: false,
    hasDynamic: false,
  });
  const dynamicX64 = parseElf(elf64(62, [6, 3, 1, 2]));
  assert.equal(dynamicX64?.machine, 62);
  assert.equal(dynamicX64?.hasInterpreter, true);
  assert.equal(dynamicX64?.hasDynamic, true);
});

test('anything that is not a whole ELF header is null, not a guess', () => {
  assert.equal(parseElf(Buffer.from('#!/bin/sh\necho hi\n'.padEnd(80))), null);
  assert.equal(parseElf(elf64(62, [1]).subarray(0, 40)), null);
  // Program headers cut off: the linking cannot be known.
  assert.equal(parseElf(elf64(62, [1, 3]).subarray(0, 70)), null);
});

test('the architectures the reaper is packaged for have their e_machine and a name', () => {
  assert.equal(machineOfArch('x64'), 62);
  assert.equal(machineOfArch('arm64'), 183);
  assert.equal(machineName(183), 'aarch64');
  assert.equal(machineName(62), 'x86-64');
  assert.equal(machineName(9999), 'ELF machine 9999');
});
