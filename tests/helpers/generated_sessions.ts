/**
 * Generated zot session files for property tests of the scan and the index:
 * a meta line (sometimes a fork's), messages (some over a small line cap),
 * tool calls (`edit`, `write` and others, to a few paths in several forms)
 * and their results (failed, late, missing, or of no call), usage rows (growing, sometimes restarting), renames, model switches,
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

/**
 * One line of a generated session (its text, without the newline); `calls`
 * weighs tool calls and results against the rest (18 in all).
 */
const bodyLine = (n: number, calls: number): fc.Arbitrary<string> =>
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
    { weight: calls, arbitrary: callLine(n) },
    { weight: calls, arbitrary: resultLine(n) },
  );

/** The paths generated calls name: one file several ways, and others. */
export const CALL_PATHS = ["a.go", "./a.go", "/p/a.go", "sub/../a.go", "b.go", "/p/other/b.go"];

const callTime = (n: number, minute: number) =>
  `2026-11-0${1 + (n % 9)}T11:${String(minute).padStart(2, "0")}:00Z`;

/** An assistant message with tool calls (ids from a small set, so results may match). */
const callLine = (n: number): fc.Arbitrary<string> =>
  fc.array(
    fc.record({
      id: fc.nat(3),
      name: fc.constantFrom("edit", "write", "bash", "read"),
      path: fc.constantFrom(...CALL_PATHS),
      malformed: fc.nat(7).map((k) => k === 0),
    }),
    { minLength: 1, maxLength: 3 },
  ).chain((calls) =>
    fc.record({ minute: fc.nat(59), long: fc.nat(6).map((k) => k === 0) }).map((
      { minute, long },
    ) =>
      messageLine(
        "assistant",
        [
          ...(long ? [{ text: "y".repeat(300) }] : []),
          ...calls.map(({ id, name, path, malformed }) => ({
            id: `call_${id}`,
            name,
            arguments: malformed
              ? { path: 7 }
              : name === "edit"
              ? { path, edits: [{ oldText: "x", newText: "y" }] }
              : name === "write"
              ? { path, content: "z" }
              : name === "bash"
              ? { command: "make" }
              : { path },
          })),
        ],
        callTime(n, minute),
      )
    )
  );

/** A tool message holding a result (of a call made or not, failed or not). */
const resultLine = (n: number): fc.Arbitrary<string> =>
  fc.record({ id: fc.nat(3), error: fc.boolean(), minute: fc.nat(59), long: fc.nat(6) }).map((
    { id, error, minute, long },
  ) =>
    messageLine(
      "tool",
      [{
        call_id: `call_${id}`,
        content: [{ text: long === 0 ? "r".repeat(300) : "done" }],
        is_error: error,
      }],
      callTime(n, minute),
    )
  );

/** A generated session file. */
export interface Generated {
  bytes: Uint8Array;
}

/**
 * A session file: a meta line (maybe a fork's), body lines, line endings,
 * maybe no last newline; `calls` weighs tool calls and results (default 2
 * of 18 each).
 */
export const generatedWith = (calls: number): fc.Arbitrary<Generated> =>
  fc.record({
    fork: fc.option(fc.nat(4), { nil: undefined }),
    body: fc.array(fc.nat(), { maxLength: 24 }).chain((ns) =>
      fc.tuple(...ns.map((_, i) => bodyLine(i + 1, calls)))
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

/** A session file ({@linkcode generatedWith}, tool calls and results now and then). */
export const generated: fc.Arbitrary<Generated> = generatedWith(2);
