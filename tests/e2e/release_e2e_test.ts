/**
 * The release (`npm run release` → dist/release/): each binary is an
 * executable of its platform's format for its architecture, read from its
 * headers (tests/helpers/binformat.ts); SHA256SUMS matches the files; the
 * completions and man page are the CLI's own. The header reader itself is
 * checked on the host's binary and on headers made here.
 *
 * `npm test` checks a release only when one is there (building six binaries
 * is slow); `npm run test:release` builds one and sets
 * ZOT_SESSIONS_RELEASE_TESTS=1, under which a missing release fails.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import process from "node:process";
import { BIN, exampleWorkdir, ROOT, run } from "./harness.ts";
import { binaryFormat, head } from "../helpers/binformat.ts";
import { TARGETS } from "../../scripts/release.ts";
import { needs, skipBecause } from "../helpers/skips.ts";
import { hasProgram } from "../helpers/spawn.ts";

const RELEASE = join(ROOT, "dist", "release");
const REQUIRED = process.env.ZOT_SESSIONS_RELEASE_TESTS === "1";
const SKIP = skipBecause(
  !existsSync(RELEASE) && !REQUIRED,
  "no dist/release (npm run test:release builds one and checks it)",
);

/** Little-endian bytes of numbers, `[value, size]` pairs. */
function bytes(...fields: [number | bigint, number][]): Uint8Array {
  const out = new Uint8Array(fields.reduce((n, [, size]) => n + size, 0));
  const v = new DataView(out.buffer);
  let at = 0;
  for (const [value, size] of fields) {
    if (size === 1) v.setUint8(at, Number(value));
    else if (size === 2) v.setUint16(at, Number(value), true);
    else if (size === 4) v.setUint32(at, Number(value), true);
    else v.setBigUint64(at, BigInt(value), true);
    at += size;
  }
  return out;
}

/** A minimal 64-bit little-endian ELF header with one PT_INTERP. */
function elf(machine: number, interp: string): Uint8Array {
  const ident = [
    [0x7f, 1],
    [0x45, 1],
    [0x4c, 1],
    [0x46, 1],
    [2, 1],
    [1, 1],
    [1, 1],
    ...Array(9).fill([0, 1]),
  ] as [number, number][];
  const header = bytes(
    ...ident,
    [3, 2], // e_type ET_DYN
    [machine, 2],
    [1, 4], // e_version
    [0, 8], // e_entry
    [64, 8], // e_phoff
    [0, 8], // e_shoff
    [0, 4], // e_flags
    [64, 2], // e_ehsize
    [56, 2], // e_phentsize
    [1, 2], // e_phnum
    [0, 2],
    [0, 2],
    [0, 2],
  );
  const text = new TextEncoder().encode(interp + "\0");
  const phdr = bytes([3, 4], [4, 4], [120, 8], [0, 8], [0, 8], [text.length, 8], [text.length, 8], [
    1,
    8,
  ]);
  return new Uint8Array([...header, ...phdr, ...text]);
}

/** A minimal Mach-O 64 header, with a code signature load command or not. */
function macho(cpu: number, signed: boolean): Uint8Array {
  const cmd = signed
    ? bytes([0x1d, 4], [16, 4], [0, 4], [0, 4])
    : bytes([0x26, 4], [16, 4], [0, 4], [0, 4]);
  return new Uint8Array([
    ...bytes([0xfeedfacf, 4], [cpu, 4], [0, 4], [2, 4], [1, 4], [16, 4], [0, 4], [0, 4]),
    ...cmd,
  ]);
}

/** A minimal PE32+ image: DOS stub pointing at the PE header, subsystem `subsystem`. */
function pe(machine: number, subsystem: number): Uint8Array {
  const out = new Uint8Array(0x80 + 24 + 240);
  const v = new DataView(out.buffer);
  out.set([0x4d, 0x5a]);
  v.setUint32(0x3c, 0x80, true);
  v.setUint32(0x80, 0x50450000);
  v.setUint16(0x84, machine, true);
  v.setUint16(0x80 + 22, 0x0022, true); // executable image, large address aware
  v.setUint16(0x80 + 24, 0x20b, true);
  v.setUint16(0x80 + 24 + 68, subsystem, true);
  return out;
}

describe("executable headers", () => {
  it("the host's binary is the host's format and architecture", async () => {
    const f = binaryFormat(await head(BIN));
    const format = { linux: "elf", darwin: "macho", win32: "pe" }[process.platform as string];
    assert.equal(f?.format, format);
    assert.equal(f?.arch, process.arch);
    assert.equal(f?.executable, true);
  });

  it("reads ELF, Mach-O and PE headers made here", () => {
    assert.deepEqual(binaryFormat(elf(0xb7, "/lib/ld-linux-aarch64.so.1")), {
      format: "elf",
      arch: "arm64",
      interpreter: "/lib/ld-linux-aarch64.so.1",
      executable: true,
    });
    assert.equal(binaryFormat(elf(0x3e, "/lib/ld-musl-x86_64.so.1"))?.arch, "x64");
    assert.equal(binaryFormat(elf(0x28, "x"))?.arch, "unknown:40"); // 32-bit ARM
    assert.deepEqual(binaryFormat(macho(0x0100000c, true)), {
      format: "macho",
      arch: "arm64",
      executable: true,
      signed: true,
    });
    assert.equal(binaryFormat(macho(0x01000007, false))?.signed, false);
    assert.deepEqual(binaryFormat(pe(0x8664, 3)), {
      format: "pe",
      arch: "x64",
      executable: true,
      console: true,
    });
    assert.equal(binaryFormat(pe(0xaa64, 2))?.console, false); // a GUI program
  });

  it("knows nothing else", () => {
    assert.equal(binaryFormat(new TextEncoder().encode("#!/bin/sh\necho hi\n".padEnd(200))), null);
    const elf32 = elf(0x3e, "x");
    elf32[4] = 1; // ELFCLASS32
    assert.equal(binaryFormat(elf32), null);
    assert.equal(binaryFormat(new Uint8Array(8)), null);
  });
});

describe("the release", () => {
  it(
    "has a binary for every platform, each of its format and architecture",
    { skip: SKIP },
    async () => {
      for (const t of TARGETS) {
        const path = join(RELEASE, t.file);
        assert.ok(existsSync(path), `${t.file} is missing`);
        const f = binaryFormat(await head(path));
        assert.ok(f, `${t.file} is no executable`);
        assert.equal(f.arch, t.arch, t.file);
        assert.equal(f.executable, true, t.file);
        if (t.os === "linux") {
          assert.equal(f.format, "elf", t.file);
          // musl's loader for Alpine; glibc's elsewhere.
          assert.match(f.interpreter ?? "", t.libc === "musl" ? /ld-musl-/ : /ld-linux-/, t.file);
        } else if (t.os === "darwin") {
          assert.equal(f.format, "macho", t.file);
          assert.equal(f.signed, true, `${t.file} has no code signature`);
        } else {
          assert.equal(f.format, "pe", t.file);
          assert.equal(f.console, true, `${t.file} is not a console program`);
          assert.match(t.file, /\.exe$/);
        }
      }
    },
  );

  it("SHA256SUMS lists every other file with its hash", { skip: SKIP }, () => {
    const sums = readFileSync(join(RELEASE, "SHA256SUMS"), "utf8");
    const listed = sums.trimEnd().split("\n").map((l) => {
      const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(l);
      assert.ok(m, `not a sha256sum line: ${l}`);
      return [m[2], m[1]];
    });
    const files = readdirSync(RELEASE).filter((n) => n !== "SHA256SUMS").sort();
    assert.deepEqual(listed.map(([name]) => name), files);
    for (const [name, hash] of listed) {
      const actual = createHash("sha256").update(readFileSync(join(RELEASE, name))).digest("hex");
      assert.equal(actual, hash, name);
    }
    for (const t of TARGETS) assert.ok(files.includes(t.file), t.file);
  });

  it("the host's release binary runs", { skip: SKIP }, () => {
    const host = TARGETS.find((t) =>
      t.os === process.platform && t.arch === process.arch && t.libc === undefined
    );
    if (!host) return; // no release binary for this machine (it has one for every CI host)
    const r = run(join(RELEASE, host.file), ["--version"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, run(BIN, ["--version"]).out);
  });

  it(
    "the linux-arm64 binary, under qemu, answers as the host's binary does",
    {
      skip: SKIP ||
        skipBecause(process.platform !== "linux", "qemu-user runs Linux binaries") ||
        needs(
          "qemu-aarch64-static and arm64 libraries",
          hasProgram("qemu-aarch64-static") && existsSync("/lib/ld-linux-aarch64.so.1"),
        ),
    },
    async () => {
      const arm = join(RELEASE, "zot-sessions-linux-arm64");
      const { example, env, cleanup } = await exampleWorkdir();
      try {
        const listed = run(BIN, ["ls", "--all", "--json", "--home", example], env);
        const id = (JSON.parse(listed.out) as { id: string }[])[0].id;
        for (
          const args of [
            ["--version"],
            ["ls", "--all", "--json", "--home", example, "--no-index"],
            ["cost", "--all", "--by", "model", "--json", "--home", example],
            ["show", id, "--json", "--home", example],
          ]
        ) {
          const r = run("qemu-aarch64-static", [arm, ...args], env);
          assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
          assert.equal(r.out, run(BIN, args, env).out, args.join(" "));
        }
      } finally {
        await cleanup();
      }
    },
  );

  it(
    "ships the CLI's own completion scripts and man page",
    {
      skip: SKIP ||
        skipBecause(!REQUIRED, "a release may be older than the code: npm run test:release"),
    },
    () => {
      const same = (file: string, args: string[]) => {
        const r = run(BIN, args);
        assert.equal(r.code, 0, r.err);
        assert.equal(readFileSync(join(RELEASE, file), "utf8"), r.out, file);
      };
      same("zot-sessions.bash", ["completions", "bash"]);
      same("_zot-sessions", ["completions", "zsh"]);
      same("zot-sessions.fish", ["completions", "fish"]);
      assert.match(
        readFileSync(join(RELEASE, "zot-sessions.1"), "utf8"),
        /^\.TH ZOT\\-SESSIONS 1 /m,
      );
    },
  );
});
