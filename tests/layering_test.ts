/**
 * The layering rule of lib/README.md, read off the source: a module imports
 * only from its own folder or a lower layer, a verb never imports another
 * verb, there is no import cycle, and `node:sqlite`, `process`, child
 * processes and the file system are reached only where lib/README.md says
 * ({@linkcode systemViolations}).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";

const LIB = join(dirname(fileURLToPath(import.meta.url)), "..", "lib");

/** The layers, lowest first; a folder may import its own and lower ones. */
export const LAYERS: string[][] = [
  ["base"],
  ["format"],
  ["scan"],
  ["transcript"],
  ["sessions"],
  ["cost", "index"],
  ["gc"],
  ["render"],
  ["io"],
  ["commands"],
  ["cli"],
];
const RANK = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as const)));

/** Every `.ts` file under `dir`, relative to LIB. */
function sources(dir = LIB): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(path));
    else if (e.name.endsWith(".ts")) out.push(relative(LIB, path));
  }
  return out.sort();
}

/** The relative imports of a source text (static, dynamic and type-only). */
export function importsOf(text: string): string[] {
  const re =
    /(?:^|\n)\s*(?:import|export)\s[^"';]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  return [...text.matchAll(re)].map((m) => m[1] ?? m[2]);
}

const FILES = sources();
const GRAPH = new Map(
  FILES.map((f) => {
    const text = readFileSync(join(LIB, f), "utf8");
    const deps = importsOf(text)
      .filter((s) => s.startsWith("."))
      .map((s) => normalize(join(dirname(f), s)));
    return [f, { text, deps }] as const;
  }),
);
const folderOf = (f: string) => (f.includes("/") ? f.slice(0, f.indexOf("/")) : "");

/** Folders whose modules never touch the file system (lib/README.md: base, render). */
const FS_FREE = new Set(["base", "scan", "cost", "render", "cli"]);
/** In format/, every session file is opened by this module, and no other reaches the fs. */
const FORMAT_FS = "format/open_file.ts";
/** The one module that imports node:sqlite (the house rule). */
const SQLITE = "index/store.ts";
/**
 * The specifier, in backquotes: tests/harness_rules_test.ts refuses it in
 * quotes anywhere but tests/helpers/spawn.ts (no test imports it).
 */
const CHILD_PROCESS = `node:child_process`;
/** The modules that start other programs: the pager, the browser (`pick`), and zot (`resume`, `pick`). */
const CHILD_PROCESS_EDGES = new Set(["io/pager.ts", "io/browser.ts", "commands/resume_file.ts"]);

/**
 * The imports of the system that break the rules: `node:fs` (and
 * `node:fs/promises`) outside the folders that may use it, or in format/
 * outside its opener; `node:sqlite` outside the store; `node:child_process`
 * outside its edges. `imports`: each module's imported specifiers.
 */
export function systemViolations(imports: Map<string, string[]>): string[] {
  const bad: string[] = [];
  for (const [f, specs] of imports) {
    for (const s of specs) {
      const fs = s === "node:fs" || s === "node:fs/promises";
      if (fs && (FS_FREE.has(folderOf(f)) || (folderOf(f) === "format" && f !== FORMAT_FS))) {
        bad.push(`${f} → ${s}`);
      }
      if (s === "node:sqlite" && f !== SQLITE) bad.push(`${f} → ${s}`);
      if (s === CHILD_PROCESS && !CHILD_PROCESS_EDGES.has(f)) bad.push(`${f} → ${s}`);
    }
  }
  return bad;
}

describe("layering", () => {
  it("importsOf() finds static, type-only and dynamic imports", () => {
    assert.deepEqual(
      importsOf(
        `import a from "./a.ts";\nimport type { B } from "../b.ts";\nexport { c } from "./c.ts";\nawait import("./d.ts");`,
      ),
      ["./a.ts", "../b.ts", "./c.ts", "./d.ts"],
    );
  });

  it("every module sits in a known folder", () => {
    const stray = FILES.filter((f) => !RANK.has(folderOf(f)) && f !== "README.md");
    assert.deepEqual(stray, [], "modules outside the layers of lib/README.md");
  });

  it("no module imports from a higher layer", () => {
    const bad: string[] = [];
    for (const [f, { deps }] of GRAPH) {
      for (const d of deps) {
        const from = RANK.get(folderOf(f));
        const to = RANK.get(folderOf(d));
        if (from === undefined || to === undefined) continue; // reported above
        if (to > from) bad.push(`${f} → ${d}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it("a verb never imports another verb", () => {
    const bad: string[] = [];
    for (const [f, { deps }] of GRAPH) {
      if (folderOf(f) !== "commands") continue;
      for (const d of deps) {
        if (folderOf(d) === "commands" && VERBS.has(d) && d !== f) bad.push(`${f} → ${d}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it("there is no import cycle", () => {
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        cycles.push([...path.slice(path.indexOf(f)), f].join(" → "));
        return;
      }
      state.set(f, "open");
      for (const d of GRAPH.get(f)?.deps ?? []) visit(d, [...path, f]);
      state.set(f, "done");
    };
    for (const f of FILES) visit(f, []);
    assert.deepEqual(cycles, []);
  });

  it("node:sqlite is imported by one module only", () => {
    const users = FILES.filter((f) => /["']node:sqlite["']/.test(GRAPH.get(f)!.text));
    assert.ok(users.length <= 1, users.join(", "));
  });

  it("systemViolations() finds the file system, SQLite and child processes out of place", () => {
    const imports = new Map([
      ["render/x.ts", ["node:fs/promises", "./y.ts"]],
      ["format/lines.ts", ["node:fs"]],
      ["format/open_file.ts", ["node:fs"]],
      ["gc/lock.ts", ["node:fs/promises", CHILD_PROCESS]],
      ["index/open.ts", ["node:sqlite"]],
      ["io/pager.ts", [CHILD_PROCESS, "node:fs"]],
    ]);
    assert.deepEqual(systemViolations(imports), [
      "render/x.ts → node:fs/promises",
      "format/lines.ts → node:fs",
      "gc/lock.ts → node:child_process",
      "index/open.ts → node:sqlite",
    ]);
  });

  it("only the I/O edges reach for the file system, SQLite and child processes", () => {
    const imports = new Map(FILES.map((f) => [f, importsOf(GRAPH.get(f)!.text)]));
    assert.deepEqual(systemViolations(imports), []);
  });

  it("only the I/O edges reach for process", () => {
    const users = FILES.filter((f) => /["']node:process["']/.test(GRAPH.get(f)!.text));
    const bad = users.filter((f) => !PROCESS_EDGES.has(f));
    assert.deepEqual(bad, [], "modules that import node:process outside the I/O edges");
  });
});

/** The verbs: the files of commands/ that define a `Command`. */
const VERBS = new Set(
  FILES.filter((f) => folderOf(f) === "commands" && /: Command = \{/.test(GRAPH.get(f)!.text)),
);
/**
 * The modules allowed to import node:process: the process's IO (argv, env,
 * streams, signals, pid), and gc's lock and archive, which ask whether the
 * process that left a lock or a temporary copy is still alive.
 */
const PROCESS_EDGES = new Set(["io/io.ts", "io/tty.ts", "gc/lock.ts", "gc/archive_recovery.ts"]);
