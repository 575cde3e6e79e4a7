/**
 * Runs every code block of lib/'s JSDoc comments (docBlocks(): the blocks
 * `deno test --doc` would run), each as a module of its own, all in this one
 * process, under Deno and under Bun.
 *
 * Why not `deno test --doc`: it starts an isolate per block and loads the
 * module graph again each time, 0.3 s a block, 73 s for 226 blocks on the
 * 2-core CI machine even with `--no-check` (measured 2026-12-07); here they
 * take a few seconds. Their types are checked by `deno check --doc lib/` in
 * `npm run check`, once, as one program.
 *
 * A block is written to `.cache/doc-blocks/<pid>/` (inside the repository,
 * so bare specifiers resolve from node_modules) with its relative imports
 * made absolute, as if it lived beside the module it documents; like Deno 2,
 * it may use the documented module's exports without importing them.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { docBlocks } from "./helpers/doc_blocks.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LIB = join(ROOT, "lib");
const OUT = join(ROOT, ".cache", "doc-blocks", String(process.pid));

/** Every `.ts` file under `dir`. */
function sources(dir = LIB): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(path));
    else if (e.name.endsWith(".ts")) out.push(path);
  }
  return out.sort();
}

/** `code` with its relative import specifiers made absolute file URLs from `dir`. */
export function absoluteImports(code: string, dir: string): string {
  return code.replace(
    /(\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)(["'])(\.{1,2}\/[^"']+)\2/gm,
    (_m, head: string, q: string, spec: string) =>
      `${head}${q}${pathToFileURL(resolve(dir, spec)).href}${q}`,
  );
}

/** The names of the values (not types) a module's source exports. */
export function exportedValues(source: string): string[] {
  const names = new Set<string>();
  for (
    const m of source.matchAll(
      /^export\s+(?:async\s+)?(?:function\*?|class|const|let|var|enum)\s+([\w$]+)/gm,
    )
  ) {
    names.add(m[1]);
  }
  return [...names];
}

/**
 * `code` run as Deno 2 runs a doc block: relative imports made absolute,
 * and the documented module's exported values that it uses but neither
 * imports nor declares imported from `file`.
 */
export function runnable(code: string, file: string, source: string): string {
  const body = absoluteImports(code, dirname(file));
  const declared = new Set(
    [...body.matchAll(/\b(?:import\s*\{([^}]*)\}|(?:const|let|var|function|class)\s+([\w$]+))/g)]
      .flatMap((m) => (m[1] ?? m[2]).split(",").map((n) => n.trim().split(/\s+as\s+/).pop()!)),
  );
  const used = exportedValues(source).filter((n) =>
    !declared.has(n) &&
    new RegExp(`(?<![\\w$])(?<![^.]\\.)${n.replace("$", "\\$")}(?![\\w$])`).test(body)
  );
  const implicit = used.length === 0
    ? ""
    : `import { ${used.join(", ")} } from "${pathToFileURL(file).href}";\n`;
  return `${implicit}${body}\nexport {};\n`;
}

const blocks = sources().flatMap((file) => {
  const source = readFileSync(file, "utf8");
  return docBlocks(source).map((b) => ({ file, source, ...b }));
});

mkdirSync(OUT, { recursive: true });
const remove = () => rmSync(OUT, { recursive: true, force: true });
process.on("exit", remove);
globalThis.addEventListener?.("unload", remove);

describe("doc examples: every code block of lib/ runs", () => {
  it("absoluteImports() rewrites relative static, dynamic and bare imports only", () => {
    const code = [
      'import assert from "node:assert/strict";',
      'import { a } from "./a.ts";',
      'import "../b.ts";',
      'const c = await import("./c.ts");',
    ].join("\n");
    assert.equal(
      absoluteImports(code, "/r/lib/x"),
      [
        'import assert from "node:assert/strict";',
        'import { a } from "file:///r/lib/x/a.ts";',
        'import "file:///r/lib/b.ts";',
        'const c = await import("file:///r/lib/x/c.ts");',
      ].join("\n"),
    );
  });

  it("runnable() imports the documented module's exported values that a block uses", () => {
    const source = "export function add() {}\nexport const ONE = 1;\nexport interface T {}\n";
    assert.equal(
      runnable("const x = add(ONE);", "/r/lib/m.ts", source),
      'import { add, ONE } from "file:///r/lib/m.ts";\nconst x = add(ONE);\nexport {};\n',
    );
    assert.equal(
      runnable('import { add } from "./m.ts";\nadd();', "/r/lib/m.ts", source),
      'import { add } from "file:///r/lib/m.ts";\nadd();\nexport {};\n',
    );
  });

  it("finds the blocks (as many as deno test --doc runs)", () => {
    assert.ok(blocks.length >= 226, `${blocks.length} blocks`);
  });

  for (const b of blocks) {
    const name = `${relative(ROOT, b.file)}$${b.start}-${b.end}`;
    it(name, async () => {
      const path = join(OUT, `${name.replaceAll("/", "_").replace("$", "_")}.ts`);
      writeFileSync(path, runnable(b.code, b.file, b.source));
      await import(pathToFileURL(path).href);
    });
  }
});
