/**
 * The code blocks of the JSDoc comments of a source text, as `deno test
 * --doc` finds them: every fenced block opened with a TypeScript or
 * JavaScript language (or none) and not marked `ignore`, in any `/** … *\/`
 * comment. `tests/doc_run_test.ts` runs them all in one process;
 * `deno check --doc` (in `npm run check`) type-checks them.
 *
 * @module
 */

/** One runnable block. */
export interface DocBlock {
  /** 1-based lines of the opening and closing fences in the source. */
  start: number;
  end: number;
  /** The block's code, the comment's ` * ` prefixes removed. */
  code: string;
}

const LANGS = new Set(["", "ts", "typescript", "js", "javascript", "mjs", "mts"]);

/**
 * The runnable blocks of `text`.
 *
 * @example
 * const blocks = docBlocks("/**\n * ```ts\n * f();\n * ```\n *\/");
 * // [{ start: 2, end: 4, code: "f();" }]
 */
export function docBlocks(text: string): DocBlock[] {
  const lines = text.split("\n");
  const out: DocBlock[] = [];
  let inDoc = false;
  let open: { start: number; run: boolean; code: string[] } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!inDoc) {
      if (/^\s*\/\*\*/.test(line) && !/\*\/\s*$/.test(line)) inDoc = true;
      continue;
    }
    if (/\*\/\s*$/.test(line) && open === null) {
      inDoc = false;
      continue;
    }
    const body = line.replace(/^\s*\*\s?/, "");
    const fence = /^```(\S*)(.*)$/.exec(body.trim());
    if (open === null) {
      if (!fence) continue;
      const attributes = fence[2].trim().split(/\s+/);
      open = {
        start: i + 1,
        run: LANGS.has(fence[1]) && !attributes.includes("ignore"),
        code: [],
      };
    } else if (fence && fence[1] === "" && fence[2] === "") {
      if (open.run) out.push({ start: open.start, end: i + 1, code: open.code.join("\n") });
      open = null;
    } else {
      open.code.push(body);
    }
  }
  return out;
}
