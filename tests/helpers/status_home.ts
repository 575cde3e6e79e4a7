/**
 * The home the `statusline` and budget tests read, at {@linkcode NOW}
 * (Wednesday 2026-11-25, 12:00 UTC). Every expected figure is written out
 * by hand below; nothing expected is computed by the code under test.
 *
 * | session | project | spend events (time UTC, own Δ)                         | mtime       |
 * | ------- | ------- | ------------------------------------------------------ | ----------- |
 * | SA1     | A       | 11-24 22:00 $1.00 · 11-25 09:00 $0.50 · 11:30 $0.25    | 11-25 11:31 |
 * | SA2     | A       | fork of SA1 at q2 (copies $1.00): own 11:45 $0.40    | 11-25 11:50 |
 * | SB1     | B       | 11-25 10:00 $2.00 · 11:10 $0.10                        | 11-25 11:11 |
 * | SB0     | B       | 11-20 08:00 $5.00                                      | 11-20 08:01 |
 *
 * Today (every project): 0.50 + 0.25 + 0.40 + 2.00 + 0.10 = $3.25. Project
 * A today: 0.50 + 0.25 + 0.40 = $1.15. The last hour (11:00–12:00): 0.25 +
 * 0.40 + 0.10 = $0.75. This week (from Monday 11-23): today + SA1's $1.00 =
 * $4.25; A: $2.15. This month: + SB0's $5.00 = $9.25. A's newest session
 * (`ls` first): SA2, own spend $0.40 (zot recorded $1.40).
 *
 * @module
 */
import { join } from "node:path";
import { mkdir, writeFile } from "node:fs/promises";
import { type FixtureSession, messageLine, metaLine, usageLine } from "./fixtures.ts";

/** The tests' now. */
export const NOW_ISO = "2026-11-25T12:00:00Z";
export const NOW = Date.parse(NOW_ISO);
export const A = "/home/dev/alpha";
export const B = "/home/dev/beta";
export const IDA1 = "a1a1a1a1-1111-4111-8111-111111111111";
export const IDA2 = "a2a2a2a2-2222-4222-8222-222222222222";
export const IDB1 = "b1b1b1b1-3333-4333-8333-333333333333";
export const IDB0 = "b0b0b0b0-4444-4444-8444-444444444444";

/** The figures above, in dollars. */
export const EXPECTED = {
  todayUsd: 3.25,
  projectUsd: 1.15,
  burnUsdPerHour: 0.75,
  sessionUsd: 0.4,
  weekUsd: 4.25,
  weekAUsd: 2.15,
  monthUsd: 9.25,
};

const SA1 = [
  metaLine({ id: IDA1, cwd: A, started: "2026-11-24T21:59:00Z" }),
  messageLine("user", "q1", "2026-11-24T22:00:00Z"),
  usageLine({ input_tokens: 100, cost_usd: 1 }),
  messageLine("assistant", "a1", "2026-11-24T22:00:30Z"),
  messageLine("user", "q2", "2026-11-25T09:00:00Z"),
  usageLine({ input_tokens: 200, cost_usd: 1.5 }),
  messageLine("assistant", "a2", "2026-11-25T09:00:30Z"),
  messageLine("user", "q3", "2026-11-25T11:30:00Z"),
  usageLine({ input_tokens: 300, cost_usd: 1.75 }),
  messageLine("assistant", "a3", "2026-11-25T11:30:30Z"),
];

/** SA2: a fork of SA1 at its prompt q2 (message 3): copies q1, the usage row, a1, q2. */
const SA2 = [
  metaLine({ id: IDA2, cwd: A, started: "2026-11-25T11:44:00Z", parent: IDA1, fork_point: 3 }),
  ...SA1.slice(1, 5),
  messageLine("assistant", "fa2", "2026-11-25T11:44:00Z"),
  messageLine("user", "fq3", "2026-11-25T11:45:00Z"),
  usageLine({ input_tokens: 250, cost_usd: 1.4 }), // own: $1.40 - $1.00 copied
  messageLine("assistant", "fa3", "2026-11-25T11:45:30Z"),
];

const SB1 = [
  metaLine({ id: IDB1, cwd: B, started: "2026-11-25T09:59:00Z" }),
  messageLine("user", "q1", "2026-11-25T10:00:00Z"),
  usageLine({ input_tokens: 10, cost_usd: 2 }),
  messageLine("assistant", "a1", "2026-11-25T10:00:30Z"),
  messageLine("user", "q2", "2026-11-25T11:10:00Z"),
  usageLine({ input_tokens: 20, cost_usd: 2.1 }),
  messageLine("assistant", "a2", "2026-11-25T11:10:30Z"),
];

const SB0 = [
  metaLine({ id: IDB0, cwd: B, started: "2026-11-20T07:59:00Z" }),
  messageLine("user", "q1", "2026-11-20T08:00:00Z"),
  usageLine({ input_tokens: 10, cost_usd: 5 }),
  messageLine("assistant", "a1", "2026-11-20T08:00:30Z"),
];

const file = (id: string, cwd: string, mtime: string, lines: string[]): FixtureSession => ({
  cwd,
  name: `20261120-080000-${id.slice(0, 8)}.jsonl`,
  lines,
  mtimeMs: Date.parse(mtime),
});

/** The sessions of the home. */
export const STATUS_HOME = (): FixtureSession[] => [
  file(IDA1, A, "2026-11-25T11:31:00Z", SA1),
  file(IDA2, A, "2026-11-25T11:50:00Z", SA2),
  file(IDB1, B, "2026-11-25T11:11:00Z", SB1),
  file(IDB0, B, "2026-11-20T08:01:00Z", SB0),
];

/** A usage line and reply appended to SB1 at 11:55: $0.05 more (total $2.15). */
export const SB1_MORE = [
  messageLine("user", "q3", "2026-11-25T11:55:00Z"),
  usageLine({ input_tokens: 30, cost_usd: 2.15 }),
  messageLine("assistant", "a3", "2026-11-25T11:55:30Z"),
].map((l) => l + "\n").join("");

/** Writes `zot-sessions.jsonc` with `config` (an object) into `home`. */
export async function writeConfig(home: string, config: unknown): Promise<void> {
  await mkdir(home, { recursive: true });
  await writeFile(join(home, "zot-sessions.jsonc"), JSON.stringify(config, null, 2));
}
