/**
 * Every `@example` in lib/ is documentation that runs: a fenced ```ts block
 * (so `deno check --doc lib/` type-checks it and tests/doc_run_test.ts runs
 * it, both part of `npm test`) that asserts its result with node:assert. An
 * example written as bare text is skipped by both without a word, and would
 * go stale unnoticed: this test fails on it instead.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { docBlocks } from "./helpers/doc_blocks.ts";

const LIB = join(dirname(fileURLToPath(import.meta.url)), "..", "lib");

/**
 * How many doc blocks ran when this check came (issue 21): the count may
 * grow, and falls only with a reason written here.
 */
const BLOCKS_AT_LEAST = 226;

/**
 * The lines of a source text's doc comments that hold three backticks other
 * than as a fence of their own: `deno test --doc` and `deno check --doc` end
 * or open a block there (a fence inside an example's string cut the
 * example short; one in prose hid the example after it), so an example
 * would be checked cut short, or not at all, without a word.
 */
export function strayFences(text: string): number[] {
  const out: number[] = [];
  let inDoc = false;
  text.split("\n").forEach((line, i) => {
    if (!inDoc) {
      inDoc = /^\s*\/\*\*/.test(line) && !line.includes("*/");
      return;
    }
    if (line.includes("*/")) inDoc = false;
    const body = line.replace(/^\s*\*\s?/, "").trim();
    if (body.includes("```") && !/^```\w*$/.test(body)) out.push(i + 1);
  });
  return out;
}

/** One `@example` of a source text. */
export interface Example {
  /** 1-based line of the `@example` tag. */
  line: number;
  /** Fenced blocks under the tag. */
  fences: number;
  /** What is wrong with it, if anything. */
  problem: string | null;
}

const TAG = /^\s*\*\s?@\w/;
const FENCE = /^```/;

/**
 * The `@example`s of a source text, each with its fenced blocks counted and
 * checked: a block opened as ```ts (not `ignore`d), closed, and importing
 * node:assert.
 */
export function examplesOf(text: string): Example[] {
  const lines = text.split("\n");
  const out: Example[] = [];
  let inDoc = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!inDoc) {
      inDoc = /^\s*\/\*\*/.test(line) && !line.includes("*/");
      continue;
    }
    if (line.includes("*/")) {
      inDoc = false;
      continue;
    }
    if (!/^\s*\*\s?@example\b/.test(line)) continue;
    const example: Example = { line: i + 1, fences: 0, problem: null };
    out.push(example);
    // The example's text: up to the next tag or the end of the comment.
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && !lines[j].includes("*/") && !TAG.test(lines[j]); j++) {
      body.push(lines[j].replace(/^\s*\*\s?/, ""));
    }
    let k = 0;
    while (k < body.length && example.problem === null) {
      const text = body[k].trim();
      if (text === "") {
        k++;
        continue;
      }
      if (!FENCE.test(text)) {
        example.problem = `text outside a fenced block: ${JSON.stringify(text)}`;
        break;
      }
      if (text !== "```ts") {
        example.problem = `opened as ${JSON.stringify(text)}, not \`\`\`ts`;
        break;
      }
      const close = body.findIndex((l, n) => n > k && FENCE.test(l.trim()));
      if (close === -1) {
        example.problem = "a fenced block is not closed";
        break;
      }
      if (!body.slice(k + 1, close).some((l) => /from "node:assert(\/strict)?"/.test(l))) {
        example.problem = "a fenced block does not import node:assert";
      }
      example.fences++;
      k = close + 1;
    }
    if (example.problem === null && example.fences === 0) example.problem = "no fenced block";
  }
  return out;
}

/** Every `.ts` file under `dir`, relative to LIB. */
function sources(dir = LIB): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(path));
    else if (e.name.endsWith(".ts")) out.push(relative(LIB, path).replaceAll("\\", "/"));
  }
  return out.sort();
}

describe("doc examples", () => {
  it("examplesOf() accepts a fenced, asserting example and counts its blocks", () => {
    const text = [
      "/**",
      " * Adds.",
      " *",
      " * @example",
      " * ```ts",
      ' * import assert from "node:assert/strict";',
      ' * import { add } from "./add.ts";',
      " *",
      " * assert.equal(add(1, 2), 3);",
      " * ```",
      " */",
    ].join("\n");
    assert.deepEqual(examplesOf(text), [{ line: 4, fences: 1, problem: null }]);
  });

  it("examplesOf() reports an example outside a fence, ignored, unclosed or not asserting", () => {
    const doc = (...body: string[]) => ["/**", " * @example", ...body, " */"].join("\n");
    const problem = (text: string) => examplesOf(text).map((e) => e.problem);
    assert.deepEqual(problem(doc(" * add(1, 2) // 3")), [
      'text outside a fenced block: "add(1, 2) // 3"',
    ]);
    assert.deepEqual(problem(doc(" * ```ts ignore", " * add(1, 2)", " * ```")), [
      'opened as "```ts ignore", not ```ts',
    ]);
    assert.deepEqual(problem(doc(" * ```ts", ' * import assert from "node:assert";')), [
      "a fenced block is not closed",
    ]);
    assert.deepEqual(problem(doc(" * ```ts", " * add(1, 2);", " * ```")), [
      "a fenced block does not import node:assert",
    ]);
    assert.deepEqual(problem(doc(" *")), ["no fenced block"]);
  });

  it("examplesOf() ends an example at the next tag", () => {
    const text = [
      "/**",
      " * @example",
      " * ```ts",
      ' * import assert from "node:assert/strict";',
      " * ```",
      " * @returns the sum",
      " */",
    ].join("\n");
    assert.deepEqual(examplesOf(text), [{ line: 2, fences: 1, problem: null }]);
  });

  it("strayFences() finds three backticks in a doc comment's text or code, not on a fence line", () => {
    const text = [
      "/**",
      " * Blocks (```` ``` ````) as HTML.",
      " *",
      " * @example",
      " * ```ts",
      ' * f("a\\n```\\nb");',
      " * ```",
      " */",
      'const s = "```";',
    ].join("\n");
    assert.deepEqual(strayFences(text), [2, 6]);
  });

  const found = sources().map((f) => {
    const text = readFileSync(join(LIB, f), "utf8");
    return { file: f, examples: examplesOf(text), blocks: docBlocks(text).length, text };
  });

  it("no doc comment in lib/ holds three backticks except as a fence", () => {
    const bad = found.flatMap((f) => strayFences(f.text).map((line) => `lib/${f.file}:${line}`));
    assert.deepEqual(bad, []);
  });

  it("every example written is run: as many blocks as tests/doc_run_test.ts runs, and no fewer than before", () => {
    const written = found.reduce((n, f) => n + f.examples.reduce((m, e) => m + e.fences, 0), 0);
    const run = found.reduce((n, f) => n + f.blocks, 0);
    assert.equal(run, written, "blocks run (docBlocks) and fenced blocks under @example differ");
    assert.ok(run >= BLOCKS_AT_LEAST, `${run} doc blocks, fewer than ${BLOCKS_AT_LEAST}`);
  });

  it("every @example in lib/ is a fenced ts block that asserts", () => {
    const bad = found.flatMap((f) =>
      f.examples.filter((e) => e.problem !== null).map((e) =>
        `lib/${f.file}:${e.line}: ${e.problem}`
      )
    );
    assert.deepEqual(bad, []);
    const total = found.reduce((n, f) => n + f.examples.length, 0);
    assert.ok(total > 0, "no @example found in lib/: is LIB right?");
  });
});
