/**
 * A session's file changes gathered beside its scan ({@linkcode ChangeObserver},
 * a {@linkcode LineObserver} of the scan, scan/line_reading.ts): the index keeps each
 * session's `edit` and `write` calls this way, reading the file once for its
 * summary, spend and changes together, and resuming all three from the same
 * offset.
 *
 * The scan parses few message lines (most are known by their ends). This
 * asks for those that may hold what the fold ({@linkcode FileChangeFold})
 * takes: an assistant message holding the string `"edit"` or `"write"` (a
 * call's name, {@linkcode mayHoldString}), and a tool message holding the
 * id of a call waiting for its result, unless that result can be read off
 * the line's ends as zot writes it ({@linkcode toolResultFromEnds}): tool
 * output is most of a transcript's bytes, and parsing the results of the
 * calls kept made a cold scan of the benchmark's corpus 40% slower. Every
 * other message is handed to the fold as one without blocks, which is what
 * the fold would make of it: its message number counts it, and nothing
 * else. An assistant message longer than a chunk is read whole to be
 * looked at; a message over the reader's cap is never parsed, nor its
 * result read (the fold counts it as unread), as `changes` reads it
 * (file_changes_read.ts).
 *
 * Calls are looked for in assistant messages only, and results in tool
 * messages only: where zot writes them. Shell commands are not looked for
 * (`bash` calls are in most assistant lines): the state's `shellCommands`
 * counts only those met in lines parsed for another reason.
 *
 * @module
 */
import { type Line, LINE_DEFAULTS } from "../format/line_shape.ts";
import type { ToolResultBlock } from "../format/records.ts";
import { mayHoldString, quotedNeedles, toolResultFromEnds } from "../format/tool_peek.ts";
import type { LineObserver, LineReading } from "../scan/line_reading.ts";
import { scanFile, type ScanOptions } from "../scan/session_scan.ts";
import { emptyFileChanges, type FileChange, FileChangeFold } from "./file_changes.ts";
import type { FileChangesState } from "./file_changes.ts";

type ToolResultPeek = ReturnType<typeof toolResultFromEnds>;

/**
 * A deep copy of a fold's state (plain data): a JSON round trip, 2-3x
 * faster than `structuredClone` on these small objects under Bun.
 */
function copy(state: FileChangesState): FileChangesState {
  return JSON.parse(JSON.stringify(state));
}

/** The names of the calls the fold keeps. */
const CALL_NAMES = quotedNeedles(["edit", "write"]);

/**
 * What a change scan saves: the fold's state without the changes before
 * the first one still waiting for its result (those are final: the caller
 * keeps them), and how many those were.
 */
export interface ChangeScanState {
  fold: FileChangesState;
  /** How many of the session's changes come before `fold.changes`. */
  base: number;
}

/** A change with its place among all of the session's changes (inherited ones counted). */
export interface NumberedChange {
  ordinal: number;
  change: FileChange;
}

/** What a change scan gives to keep: its state, and the changes it found. */
export interface ChangeScan {
  state: ChangeScanState;
  /** The changes from the start state's base on (own and inherited), each final or still pending. */
  changes: NumberedChange[];
}

/**
 * The state of a change scan that has read nothing (no texts kept).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyChangeScan } from "./change_scan.ts";
 *
 * assert.deepEqual([emptyChangeScan().base, emptyChangeScan().fold.texts], [0, false]);
 * ```
 */
export function emptyChangeScan(): ChangeScanState {
  return { fold: emptyFileChanges({ texts: false }), base: 0 };
}

/**
 * The fold over a scan's readings, resumable from a saved
 * {@linkcode ChangeScanState} (a copy is taken).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChangeObserver } from "./change_scan.ts";
 *
 * const o = new ChangeObserver();
 * const bytes = new TextEncoder().encode('{"name":"write"}');
 * assert.equal(o.needFull("assistant", bytes), true);
 * assert.equal(o.needFull("assistant", new TextEncoder().encode('{"name":"bash"}')), false);
 * const line = { number: 1, offset: 0, length: 9, bytes, truncated: false, terminated: true };
 * o.feed(line, { kind: "message", role: "user", time: "2026-11-01T10:00:00Z" });
 * assert.equal(o.save().state.fold.messages, 1);
 * ```
 */
export class ChangeObserver implements LineObserver {
  readonly #fold: FileChangeFold;
  /** The state before an unterminated last line, which is never saved. */
  #beforeUnterminated: ChangeScan | null = null;
  readonly #base: number;
  /** The ids of the calls waiting for a result, as looked for ({@linkcode quotedNeedles}). */
  #needles: { ids: string; needles: Uint8Array[] | null } | null = null;
  #peeked: { head: Uint8Array; result: ToolResultPeek | null } | null = null;
  /** The last snapshot, while nothing was fed since. */
  #last: ChangeScan | null = null;

  /** `cap`: the reader's line cap (a longer line is never parsed). */
  constructor(saved?: ChangeScanState, readonly cap: number = LINE_DEFAULTS.maxLineBytes) {
    this.#fold = new FileChangeFold(saved ? copy(saved.fold) : emptyChangeScan().fold);
    this.#base = saved?.base ?? 0;
  }

  /**
   * A line is wanted parsed when it may hold a call kept (an assistant
   * message), or the result of a call waiting for one that cannot be read
   * off the line's ends.
   */
  readonly needFull = (role: string, bytes?: Uint8Array): boolean => {
    if (role === "assistant") return bytes === undefined || mayHoldString(bytes, CALL_NAMES);
    if (role !== "tool" || bytes === undefined || !this.#waiting()) return false;
    if (this.#result(bytes, bytes, true) !== null) return false;
    return mayHoldString(bytes, this.#pendingNeedles());
  };

  feed(line: Line, r: LineReading): void {
    if (!line.terminated && this.#beforeUnterminated === null) {
      this.#beforeUnterminated = this.#snapshot();
    }
    this.#last = null;
    if (r.kind === "record") {
      this.#fold.add(r.record);
      return;
    }
    if (r.kind !== "message") return;
    const { role, time } = r;
    // Over the cap: no call or result in it is seen (as a parse of every line sees it).
    if (line.truncated && line.length > this.cap) return this.#fold.unreadMessage();
    const result = role === "tool" && this.#waiting()
      ? this.#result(line.bytes, line.tail ?? line.bytes, !line.truncated)
      : null;
    if (result !== null) {
      // Its result, read off its ends: the fold needs no more of it.
      const block: ToolResultBlock = { type: "tool_result", ...result, content: [] };
      this.#fold.add({ type: "message", role, time, content: [block], meta: {} });
    } else {
      // Known by its ends: nothing in it the fold looks for.
      this.#fold.add({ type: "message", role, time, content: [], meta: {} });
    }
  }

  /** Whether a call waits for its result. */
  #waiting(): boolean {
    for (const _ in this.#fold.state.pending) return true;
    return false;
  }

  /** The ids of the calls waiting, to look for. */
  #pendingNeedles(): Uint8Array[] | null {
    const keys = Object.keys(this.#fold.state.pending);
    const ids = keys.join("\n");
    if (this.#needles?.ids !== ids) {
      this.#needles = { ids, needles: quotedNeedles(keys.map((k) => k.slice(1))) };
    }
    return this.#needles.needles;
  }

  /** {@linkcode toolResultFromEnds}, remembered for the line asked about last. */
  #result(head: Uint8Array, tail: Uint8Array, whole: boolean): ToolResultPeek | null {
    if (this.#peeked?.head !== head) {
      this.#peeked = { head, result: toolResultFromEnds(head, tail, whole) };
    }
    return this.#peeked.result;
  }

  /**
   * What to save: the state at the last complete line, and the changes
   * found from the saved state's on (the caller keeps them).
   */
  save(): ChangeScan {
    return this.#beforeUnterminated ?? this.#snapshot();
  }

  /** The same with every line fed (an archive, never resumed). */
  whole(): ChangeScan {
    return this.#snapshot();
  }

  #snapshot(): ChangeScan {
    if (this.#last !== null) return this.#last;
    const st = copy(this.#fold.state);
    const changes = st.changes.map((change, i) => ({ ordinal: this.#base + i, change }));
    const pending = Object.values(st.pending);
    const first = pending.length === 0 ? st.changes.length : Math.min(...pending);
    const fold = { ...st, changes: st.changes.slice(first) };
    for (const k of Object.keys(fold.pending)) fold.pending[k] -= first;
    return this.#last = { state: { fold, base: this.#base + first }, changes };
  }
}

/** How {@linkcode scanFileWithChanges} reads: {@linkcode scanFile}'s options and a saved change state. */
export interface ChangeScanOptions extends Omit<ScanOptions, "observer"> {
  /** The change scan's state saved with `state` (at the same offset). */
  changes?: ChangeScanState;
}

/**
 * {@linkcode scanFile} with the file's changes gathered in the same pass:
 * its result, and `changes` (to save, with `state`) and `wholeChanges`
 * (with `whole`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { scanFileWithChanges } from "./change_scan.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zs-"));
 * const path = join(dir, "s.jsonl");
 * const call = { id: "c1", name: "write", arguments: { path: "a.txt", content: "hi" } };
 * const line = { type: "message", message: { role: "assistant", content: [call], time: "2026-11-01T10:00:00Z" } };
 * await writeFile(path, JSON.stringify(line) + "\n");
 * const r = await scanFileWithChanges(path);
 * assert.equal(r.summary.messages, 1);
 * assert.deepEqual(r.changes.changes.map((c) => [c.change.path, c.change.aborted]), [["a.txt", true]]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function scanFileWithChanges(
  path: string,
  o: ChangeScanOptions = {},
): Promise<
  Awaited<ReturnType<typeof scanFile>> & { changes: ChangeScan; wholeChanges: ChangeScan }
> {
  const observer = new ChangeObserver(o.changes, o.reader?.maxLineBytes);
  const r = await scanFile(path, { ...o, observer });
  let saved: ChangeScan | undefined;
  return Object.defineProperties(r, {
    changes: { get: () => saved ??= observer.save() },
    wholeChanges: { get: () => observer.whole() },
  }) as typeof r & { changes: ChangeScan; wholeChanges: ChangeScan };
}
