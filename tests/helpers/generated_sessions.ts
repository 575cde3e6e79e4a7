/**
 * Generated zot session files for property tests of the scan and the index:
 * a meta line (sometimes a fork's), messages (some over a small line cap),
 * usage rows (growing, sometimes restarting), renames, model switches,
 * damaged and blank lines, LF or CRLF endings, maybe no final newline.
 *
 * @module
 */
import fc from "fast-check";
import { messageLine, metaLine, renameLine, usageLine } from "./fixtures.ts";

/** The parent id of generated forks. */
export const PARENT = "aaaaaaaa-1111-4000-8000-000000000001";
/** The id of every generated session. */
export const ID = "bbbbbbbb-2222-4000-8000-000000000002";

/** One line of a generated session (its text, without the newline). */
const bodyLine = (n: number): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        role: fc.constantFrom("user", "assistant", "tool"),
        text: fc.string({ maxLength: 12 }),
        long: fc.nat(9).map((k) => k === 0), // now and then over a small line cap
        minute: fc.nat(59),
      }).map(({ role, text, long, minute }) =>
        messageLine(
          role,
          long ? text + "x".repeat(300) : text,
          `2026-11-0${1 + (n % 9)}T10:${String(minute).padStart(2, "0")}:00Z`,
        )
      ),
    },
    {
      weight: 4,
      arbitrary: fc.record({ tokens: fc.nat(5000), cents: fc.nat(300) }).map(({ tokens, cents }) =>
        // Cumulative counters mostly grow with n; a small one is a restart.
        usageLine({ input_tokens: tokens * n, output_tokens: n, cost_usd: (cents * n) / 100 })
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((t) => renameLine(t)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("gpt-5", "claude-opus-4-1").map((model) =>
        metaLine({ id: ID, cwd: "/p/other", model, title: model })
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom("", "not json", "garbage line", '{"type":"usage","cumu', "[]"),
    },
  );

/** A generated session file. */
export interface Generated {
  bytes: Uint8Array;
}

/** A session file: a meta line (maybe a fork's), body lines, line endings, maybe no last newline. */
export const generated: fc.Arbitrary<Generated> = fc.record({
  fork: fc.option(fc.nat(4), { nil: undefined }),
  body: fc.array(fc.nat(), { maxLength: 24 }).chain((ns) =>
    fc.tuple(...ns.map((_, i) => bodyLine(i + 1)))
  ),
  crlf: fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
  lastNewline: fc.boolean(),
}).map(({ fork, body, crlf, lastNewline }) => {
  const first = metaLine(
    fork === undefined
      ? { id: ID, cwd: "/p" }
      : { id: ID, cwd: "/p", parent: PARENT, fork_point: fork + 1 },
  );
  const lines = [first, ...body];
  let text = "";
  lines.forEach((l, i) => {
    text += l;
    if (i < lines.length - 1 || lastNewline) text += crlf[i % crlf.length] ? "\r\n" : "\n";
  });
  return { bytes: new TextEncoder().encode(text) };
});
