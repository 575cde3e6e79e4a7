/**
 * `npm run release`: everything a release ships, in `dist/release/`:
 *
 * - `zot-sessions-<os>-<arch>[.exe]`: the CLI compiled by `bun build
 *   --compile` for each platform zot runs on (Bun fetches each target's
 *   runtime from the npm registry once, then builds offline);
 * - `zot-sessions.bash`, `_zot-sessions` (zsh), `zot-sessions.fish`: the
 *   completion scripts, as the host binary (`npm run build`) prints them;
 * - `zot-sessions.1`: the man page;
 * - `SHA256SUMS`: every file's SHA-256, as `sha256sum -c` reads it.
 *
 * Usage: deno run -A scripts/release.ts [OUTDIR]   (or: bun scripts/release.ts)
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { COMMANDS, SUMMARY } from "../lib/cli/run.ts";
import { manPageText } from "../lib/cli/manpage.ts";

/** The repository. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** A platform of the release: Bun's target and the file's name. */
export interface Target {
  /** `bun build --target` value. */
  bun: string;
  os: "linux" | "darwin" | "windows";
  arch: "x64" | "arm64";
  /** The C library, on Linux: glibc unless musl (Alpine). */
  libc?: "musl";
  file: string;
}

/** Every platform zot runs on. */
export const TARGETS: Target[] = [
  { bun: "bun-linux-x64", os: "linux", arch: "x64", file: "zot-sessions-linux-x64" },
  {
    bun: "bun-linux-x64-musl",
    os: "linux",
    arch: "x64",
    libc: "musl",
    file: "zot-sessions-linux-x64-musl",
  },
  { bun: "bun-linux-arm64", os: "linux", arch: "arm64", file: "zot-sessions-linux-arm64" },
  { bun: "bun-darwin-x64", os: "darwin", arch: "x64", file: "zot-sessions-darwin-x64" },
  { bun: "bun-darwin-arm64", os: "darwin", arch: "arm64", file: "zot-sessions-darwin-arm64" },
  { bun: "bun-windows-x64", os: "windows", arch: "x64", file: "zot-sessions-windows-x64.exe" },
];

/**
 * What the host's binary (`npm run build`'s `dist/zot-sessions`) prints for
 * `args`: the completion scripts list the runtime's time zones, and Bun's
 * list (the binaries') is not the one Deno running this script has.
 */
function fromBinary(args: string[]): string {
  const bin = join(ROOT, "dist", "zot-sessions");
  const r = spawnSync(bin, args, { encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`Cannot run "${bin} ${args.join(" ")}": ${r.error?.message ?? r.stderr}`);
  }
  return r.stdout;
}

/** The files besides the binaries, and what writes each. */
export const EXTRAS: Record<string, () => string> = {
  "zot-sessions.bash": () => fromBinary(["completions", "bash"]),
  "_zot-sessions": () => fromBinary(["completions", "zsh"]),
  "zot-sessions.fish": () => fromBinary(["completions", "fish"]),
  "zot-sessions.1": () => manPageText(COMMANDS, SUMMARY),
};

/** The `SHA256SUMS` text of `names` in `dir`: `<hex>  <name>` lines, by name. */
export async function sha256sums(dir: string, names: string[]): Promise<string> {
  const lines: string[] = [];
  for (const name of [...names].sort()) {
    const hash = createHash("sha256").update(await readFile(join(dir, name))).digest("hex");
    lines.push(`${hash}  ${name}`);
  }
  return lines.map((l) => l + "\n").join("");
}

/** Builds the release into `out` (emptied first). */
export async function release(out: string): Promise<void> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const bun = join(ROOT, "node_modules", ".bin", "bun");
  // One at a time: each build uses every core it gets.
  for (const t of TARGETS) {
    const r = spawnSync(bun, [
      "build",
      "--compile",
      `--target=${t.bun}`,
      // Compiled to bytecode, as dist/zot-sessions: it starts faster, and
      // the linux-arm64 binary gives the host's answers under qemu
      // (tests/e2e/release_e2e_test.ts). The macOS and Windows binaries
      // cannot be run here.
      "--bytecode",
      "--format=esm",
      // --smol: Bun collects garbage more often; a cold scan of the bench
      // corpus peaked at 108-119 MiB instead of 130-132, and ran no slower.
      "--compile-exec-argv=--no-deprecation --smol",
      "--minify",
      join(ROOT, "main.ts"),
      "--outfile",
      join(out, t.file),
    ], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) {
      throw new Error(`Cannot build "${t.file}": bun build exited with ${r.status ?? r.signal}`);
    }
  }
  for (const [name, make] of Object.entries(EXTRAS)) await writeFile(join(out, name), make());
  const names = (await readdir(out)).filter((n) => n !== "SHA256SUMS");
  await writeFile(join(out, "SHA256SUMS"), await sha256sums(out, names));
}

if (import.meta.main) {
  const out = resolve(process.argv[2] ?? join(ROOT, "dist", "release"));
  await release(out);
  console.log(`Wrote ${out}: ${TARGETS.length} binaries, completions, man page, SHA256SUMS`);
}
