/**
 * A test seam of the index and of reading session files: with
 * `ZOT_SESSIONS_TEST_PAUSE="POINT[@N]=FIFO[,…]"` in the environment, the run
 * stops the N-th time (default: the first) it reaches POINT, and waits for a
 * handshake on the named pipe FIFO: it writes `POINT\n` into it (the open
 * blocks until the test opens it for reading), then opens it for reading and
 * waits for its end (the test opens it for writing and closes it). The calls
 * are synchronous, so the whole process stands still meanwhile: a test can
 * kill it there, or change files under it, at an exact place, without
 * sleeping. Unset, every pause is a no-op.
 *
 * The points:
 * - `clear`: inside clearing the index (`index --clear`, `--rebuild`),
 *   between its deletions;
 * - `write`: inside each write transaction, before it commits;
 * - `search-file`: in `search`, when a file's new messages were read, before
 *   they are written;
 * - `search-read`: in `search`, when the index has said which messages may
 *   match, before they are read back from their files;
 * - `search-hits`: in `search`, when the hits are found, before the
 *   sessions they are in are read; when the index hands hits on as it finds
 *   them (newest first), when the first is found, before it is handed on;
 * - `open`: before a session file is opened (any verb; format/open_file.ts),
 *   so `open@1` stands after the listing, before any session is read;
 * - `open-busy`: opening the index met another run's write lock while
 *   putting a new database in WAL mode, and is about to wait and try again.
 * - `watch`: in `cost --watch`, before each look at the sessions (`watch@3`
 *   stands before the third, after two).
 *
 * @module
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";

/** Stops at a named point when the environment asks for it. */
export type Pause = (point: string) => void;

/** A pause that never stops. */
export const NO_PAUSE: Pause = () => {};

/**
 * The pause `env` asks for (`ZOT_SESSIONS_TEST_PAUSE`), or {@linkcode NO_PAUSE}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NO_PAUSE, pauseFrom, pausePoints } from "./pause.ts";
 *
 * assert.equal(pauseFrom({}), NO_PAUSE);
 * assert.deepEqual(pausePoints("write@3=/tmp/f,clear=/tmp/g"), [
 *   { point: "write", nth: 3, fifo: "/tmp/f" },
 *   { point: "clear", nth: 1, fifo: "/tmp/g" },
 * ]);
 * ```
 */
export function pauseFrom(env: Record<string, string | undefined>): Pause {
  const spec = env.ZOT_SESSIONS_TEST_PAUSE;
  if (!spec) return NO_PAUSE;
  const points = pausePoints(spec);
  const seen = new Map<string, number>();
  return (point) => {
    const n = (seen.get(point) ?? 0) + 1;
    seen.set(point, n);
    for (const p of points) if (p.point === point && p.nth === n) handshake(p.fifo, point);
  };
}

/** The points of a `ZOT_SESSIONS_TEST_PAUSE` value. */
export function pausePoints(spec: string): { point: string; nth: number; fifo: string }[] {
  return spec.split(",").filter((s) => s !== "").map((s) => {
    const eq = s.indexOf("=");
    const [point, nth] = s.slice(0, eq).split("@");
    return { point, nth: nth === undefined ? 1 : Number(nth), fifo: s.slice(eq + 1) };
  });
}

function handshake(fifo: string, point: string): void {
  const out = openSync(fifo, "w");
  writeSync(out, `${point}\n`);
  closeSync(out);
  const back = openSync(fifo, "r");
  const buf = new Uint8Array(64);
  while (readSync(back, buf, 0, buf.length, null) > 0) {
    // the test's side: nothing to read, only its end
  }
  closeSync(back);
}
