/**
 * What kind of executable a file is, read from its headers (ELF, Mach-O,
 * PE), without any tool: the magic number, the machine or CPU type, and
 * what a loader needs beyond that (ELF's interpreter, a Mach-O's code
 * signature, a PE's subsystem). For the release tests.
 *
 * @module
 */
import { open } from "node:fs/promises";

/** An executable's format and what it runs on. */
export interface BinaryFormat {
  format: "elf" | "macho" | "pe";
  arch: "x64" | "arm64" | `unknown:${string}`;
  /** ELF: the program interpreter (PT_INTERP), e.g. /lib/ld-musl-x86_64.so.1. */
  interpreter?: string;
  /** ELF: ET_EXEC or ET_DYN (a PIE); Mach-O: MH_EXECUTE; PE: an executable image. */
  executable: boolean;
  /** Mach-O: has an LC_CODE_SIGNATURE (Apple silicon runs nothing unsigned). */
  signed?: boolean;
  /** PE: a console program (IMAGE_SUBSYSTEM_WINDOWS_CUI). */
  console?: boolean;
}

/** The first `n` bytes of a file (headers live there). */
export async function head(path: string, n = 1 << 16): Promise<Uint8Array> {
  const f = await open(path, "r");
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await f.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}

/**
 * The format of an executable from its first bytes, or null when it is
 * none of ELF (64-bit, little-endian), Mach-O (64-bit) and PE.
 *
 * @example
 * binaryFormat(await head("dist/zot-sessions"))?.arch // "x64"
 */
export function binaryFormat(b: Uint8Array): BinaryFormat | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const has = (n: number) => b.length >= n;
  // ELF: 7f 'E' 'L' 'F', class 2 (64-bit), data 1 (little-endian).
  if (has(64) && v.getUint32(0) === 0x7f454c46 && b[4] === 2 && b[5] === 1) {
    const machine = v.getUint16(18, true);
    const type = v.getUint16(16, true);
    const phoff = Number(v.getBigUint64(32, true));
    const phentsize = v.getUint16(54, true);
    const phnum = v.getUint16(56, true);
    let interpreter: string | undefined;
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      if (!has(at + 40) || v.getUint32(at, true) !== 3) continue; // PT_INTERP
      const offset = Number(v.getBigUint64(at + 8, true));
      const size = Number(v.getBigUint64(at + 32, true));
      if (has(offset + size)) {
        interpreter = new TextDecoder().decode(b.subarray(offset, offset + size)).replace(
          /\0+$/,
          "",
        );
      }
    }
    const arch = machine === 0x3e
      ? "x64"
      : machine === 0xb7
      ? "arm64"
      : `unknown:${machine}` as const;
    return { format: "elf", arch, interpreter, executable: type === 2 || type === 3 };
  }
  // Mach-O 64-bit, little-endian: MH_MAGIC_64 0xfeedfacf.
  if (has(32) && v.getUint32(0, true) === 0xfeedfacf) {
    const cpu = v.getUint32(4, true);
    const ncmds = v.getUint32(16, true);
    let signed = false;
    for (let i = 0, at = 32; i < ncmds && has(at + 8); i++) {
      if (v.getUint32(at, true) === 0x1d) signed = true; // LC_CODE_SIGNATURE
      at += v.getUint32(at + 4, true);
    }
    const arch = cpu === 0x01000007
      ? "x64"
      : cpu === 0x0100000c
      ? "arm64"
      : `unknown:${cpu}` as const;
    return { format: "macho", arch, executable: v.getUint32(12, true) === 2, signed };
  }
  // PE: "MZ", then "PE\0\0" at e_lfanew.
  if (has(64) && b[0] === 0x4d && b[1] === 0x5a) {
    const pe = v.getUint32(0x3c, true);
    if (!has(pe + 24 + 70) || v.getUint32(pe) !== 0x50450000) return null;
    const machine = v.getUint16(pe + 4, true);
    const characteristics = v.getUint16(pe + 22, true);
    const optional = pe + 24;
    // PE32+ (0x20b) keeps the subsystem at offset 68 of the optional header.
    const console = v.getUint16(optional, true) === 0x20b && v.getUint16(optional + 68, true) === 3;
    const arch = machine === 0x8664
      ? "x64"
      : machine === 0xaa64
      ? "arm64"
      : `unknown:${machine}` as const;
    return { format: "pe", arch, executable: (characteristics & 0x2) !== 0, console };
  }
  return null;
}
