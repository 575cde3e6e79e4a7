/**
 * A one-session home for the in-process tests of the transcript verbs
 * (`show`, `tail`): a prompt with a terminal escape, a tool call and its
 * result, a rename; `cli` runs a verb on it in memory.
 *
 * @module
 */
import { messageLine, metaLine, renameLine, tempHome, usageLine } from "./fixtures.ts";
import { runIn } from "./cli.ts";

/** The project. */
export const A = "/home/dev/alpha";
/** The session id. */
export const ID = "0e19291e-c841-4742-bbcc-90199e65f26e";
/** The clock. */
export const NOW = Date.parse("2026-11-25T12:00:00Z");

/** The session's lines. */
export const LINES = [
  metaLine({ id: ID, cwd: A }),
  messageLine("user", "fix \x1b[2Jthe build", "2026-09-22T14:05:30+02:00"),
  usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: 0.5 }),
  messageLine("assistant", [{ text: "running" }, {
    id: "c1",
    name: "bash",
    arguments: { command: "make" },
  }], "2026-09-22T14:05:31+02:00"),
  messageLine(
    "tool",
    [{ call_id: "c1", content: [{ text: "ok" }], is_error: false }],
    "2026-09-22T14:05:32+02:00",
  ),
  renameLine("build fix"),
];

/** Runs a verb on the session, in memory (Berlin time, no colour, `cat` as pager). */
export async function cli(
  args: string[],
  tty = false,
  env: Record<string, string> = {},
  lines: string[] = LINES,
) {
  const h = await tempHome([{
    cwd: A,
    name: "20260922-120509-0e19291e.jsonl",
    lines,
    mtimeMs: NOW,
  }]);
  try {
    return await runIn([...args, "--home", h.home, "--cwd", A], {
      now: NOW,
      processCwd: A,
      tty,
      // The user's zone: what times are shown in without --tz or --utc.
      env: { PAGER: "cat", NO_COLOR: "1", TZ: "Europe/Berlin", ...env },
    });
  } finally {
    await h.cleanup();
  }
}
