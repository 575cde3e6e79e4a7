/**
 * Output that fits the width (issue 22, item 3), with the built binary on
 * the example home, the width given by `COLUMNS` (the tests have no
 * terminal): a search hit's heading fits (title and project cut with `…`,
 * by display width: the home has CJK and emoji titles) and its snippet
 * wraps with an indent, losing nothing; gc's plan rows fit, their paths cut
 * in the middle keeping the file name, and their columns line up at any
 * width.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { basename } from "node:path";
import { displayWidth } from "../../lib/render/width.ts";
import { BIN, exampleWorkdir, run } from "./harness.ts";
import { skipBecause } from "../helpers/skips.ts";

// The runs are of the binary: once (under Deno) is enough.
const UNDER_BUN = process.versions.bun !== undefined;

interface Hit {
  shortId: string;
  title: string | null;
  cwd: string;
  role: string;
  snippet: string;
  index: number;
}

describe("output fits the width", { skip: skipBecause(UNDER_BUN, "run once, under Deno") }, () => {
  it("search: each heading fits, cut with …; each snippet wraps with an indent", async () => {
    const w = await exampleWorkdir();
    try {
      for (const words of [["retry"], ["the"], ["メニュー"]]) {
        const zs = (args: string[], env: Record<string, string> = {}) =>
          run(BIN, ["search", "--all", "--no-index", ...words, ...args], { ...w.env, ...env });
        const json = zs(["--json"]);
        assert.equal(json.code, 0, json.err);
        const hits: Hit[] = json.out.trim().split("\n").map((l) => JSON.parse(l));
        assert.ok(hits.length > 1, `hits for ${words}`);
        const wide = zs([], { COLUMNS: "400" }).out.split("\n\n");
        for (const columns of [50, 60, 80]) {
          const r = zs([], { COLUMNS: String(columns) });
          assert.equal(r.code, 0, r.err);
          const blocks = r.out.replace(/\n\n$/, "").split("\n\n");
          assert.equal(blocks.length, hits.length);
          let cut = 0;
          blocks.forEach((block, i) => {
            const lines = block.split("\n");
            for (const l of lines) {
              assert.ok(displayWidth(l) <= columns, `${columns} columns: ${JSON.stringify(l)}`);
            }
            const h = hits[i];
            assert.ok(lines[0].startsWith(`${h.shortId}  `), lines[0]);
            assert.ok(lines[0].includes(`  ${h.role}  `), lines[0]);
            // Cut (ends in …) or as wide as the heading with no width.
            const whole = wide[i].split("\n")[0];
            if (lines[0] !== whole) {
              cut++;
              assert.match(lines[0], /…/);
            }
            const snippet = lines.slice(1, -1);
            assert.ok(snippet.length >= 1);
            for (const l of snippet) assert.match(l, /^ {2}\S/);
            // Wrapped at spaces: nothing lost but the spaces at the breaks.
            const joined = snippet.map((l) => l.slice(2)).join(" ");
            assert.equal(joined.replaceAll(" ", ""), h.snippet.replaceAll(" ", ""));
            assert.equal(lines.at(-1), `  zot-sessions show ${h.shortId} --around ${h.index}`);
          });
          if (columns <= 60) assert.ok(cut > 0, `some heading was cut at ${columns} columns`);
        }
      }
    } finally {
      await w.cleanup();
    }
  });

  it("gc: plan rows fit, paths cut in the middle keeping the file name, columns aligned", async () => {
    const w = await exampleWorkdir();
    try {
      const args = ["gc", "--empty", "--keep-last", "1", "--grace", "0"];
      const json = run(BIN, [...args, "--json"], w.env);
      assert.equal(json.code, 0, json.err);
      const sessions: { path: string }[] = JSON.parse(json.out).sessions;
      assert.ok(sessions.length >= 5);
      for (const columns of [undefined, 60, 100, 200]) {
        const r = run(BIN, args, columns ? { ...w.env, COLUMNS: String(columns) } : w.env);
        assert.equal(r.code, 0, r.err);
        const rows = r.out.split("\n").filter((l) => l.startsWith("  "));
        assert.equal(rows.length, sessions.length, r.out);
        // The age column starts at the same display column on every row.
        const starts = new Set<number>();
        rows.forEach((row, i) => {
          if (columns) assert.ok(displayWidth(row) <= columns, `${columns}: ${row}`);
          const path = row.slice(2).split("  ")[0];
          const name = basename(sessions[i].path);
          assert.ok(path.endsWith(name), `${row}\nkeeps ${name}`);
          if (columns === undefined || columns >= 200) assert.equal(path, sessions[i].path);
          else assert.match(path, /…/);
          const age = /\s(\d+[a-z]+ ago)\s/.exec(row);
          assert.ok(age, row);
          starts.add(displayWidth(row.slice(0, age.index)));
        });
        assert.equal(starts.size, 1, `aligned at ${columns}:\n${rows.join("\n")}`);
      }
    } finally {
      await w.cleanup();
    }
  });
});
