/**
 * What a session did to files, read off zot's own tool calls: `edit`
 * (`{path, edits:[{oldText, newText}]}`), `write` (`{path, content}`), the
 * `bash` calls that may have changed files too, and (for a patch) what the
 * session had read of a file before changing it.
 *
 * A fold over decoded records with serialisable state, like the ledger
 * (lib/scan/ledger.ts), so the index can run it beside its scan and resume
 * it. Arguments are raw JSON from the model: a call whose `path` is not a
 * non-empty string, whose `edits` is not a list of `{oldText, newText}`
 * strings, or whose `content` is not a string, is counted as malformed and
 * left out, never trusted.
 *
 * - A call's `ok` is false until its result comes, and stays false without
 *   one: a call with no result is an aborted turn (FORMAT.md), and whether
 *   the file changed is not known (`aborted` says so).
 * - A fork's copied calls (before its fork point) are `inherited`: they are
 *   the parent's. The rule is the ledger's ({@linkcode copiedFromParent}).
 * - A whole-file read is a `read` call with no argument but `path` (no
 *   offset or limit) whose result is not an error and is text alone. zot's
 *   read stops after 2000 lines or 50 KiB and says so in a last line
 *   ({@linkcode readWasCut}): such a read is kept without its text.
 *
 * @module
 */
import type { Block, MessageRecord, SessionRecord, ToolCallBlock } from "../format/records.ts";
import { copiedFromParent } from "../scan/ledger.ts";
import { toolPathKey } from "./tool_paths.ts";

/** One `edit` or `write` call of a session. */
export interface FileChange {
  /** Exactly as the call gave it (relative to the session's cwd, or absolute). */
  path: string;
  /** The number of the message holding the call, as `show` numbers them (`#N`, from 0). */
  index: number;
  tool: "edit" | "write";
  /** The result came and is no error. */
  ok: boolean;
  /** No result (yet): the turn was aborted, and whether the file changed is unknown. */
  aborted: boolean;
  /** The time of the message holding the call, as written. */
  time: string;
  /** A fork's copied call (before its fork point): the parent's change, not the fork's. */
  inherited: boolean;
  /** An edit's replacements, in order (empty for a write, and without texts). */
  edits: { oldText: string; newText: string }[];
  /** A write's content (null for an edit, and without texts). */
  content: string | null;
  /**
   * With texts: the latest whole-file read of the same file before this
   * call (the message number of its result, and its text, null when zot
   * cut the read short), or null.
   */
  before?: { index: number; text: string | null } | null;
}

/** What {@linkcode FileChangeFold} keeps: plain data (JSON round-trips it). */
export interface FileChangesState {
  /** Whether texts are kept (edits, contents, reads): the index keeps none. */
  texts: boolean;
  /** Whether the first meta line was read. */
  metaSeen: boolean;
  /** The first meta line's cwd ("" before one, and in exports). */
  cwd: string;
  /** The first meta line's fork point. */
  forkPoint: number | null;
  /** Message lines so far: the next message's number. */
  messages: number;
  changes: FileChange[];
  /**
   * Calls waiting for their result: `#` + call id → place in `changes` (the
   * `#` keeps an id such as `__proto__` an ordinary key).
   */
  pending: Record<string, number>;
  /** With texts, whole-file reads waiting for their result: `#` + call id → path. */
  pendingReads: Record<string, string>;
  /** With texts, the latest whole-file read of each file: `#` + {@linkcode toolPathKey}. */
  reads: Record<string, { index: number; text: string | null }>;
  /** The session's own `bash` calls: shell commands that may have changed files. */
  shellCommands: number;
  /** Own `edit`/`write` calls whose arguments could not be read: left out. */
  malformed: number;
  /** Message lines too long to decode: calls in them are not seen. */
  unreadMessages: number;
}

/** A fold that has read nothing; `texts: false` keeps no file text. */
export function emptyFileChanges(options: { texts?: boolean } = {}): FileChangesState {
  return {
    texts: options.texts ?? true,
    metaSeen: false,
    cwd: "",
    forkPoint: null,
    messages: 0,
    changes: [],
    pending: {},
    pendingReads: {},
    reads: {},
    shellCommands: 0,
    malformed: 0,
    unreadMessages: 0,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const isPath = (v: unknown): v is string => typeof v === "string" && v !== "";

/**
 * Whether the text of a `read` result is cut short: zot's read stops after
 * 2000 lines or 50 KiB (51200 bytes) and then ends its text with a line
 * `... [truncated at 2000 lines]` or `... [truncated at 51200 bytes]`. Any
 * count is taken (another zot version may have other limits); a file that
 * itself ends with such a line is taken as cut too, which only costs its
 * patch its line numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readWasCut } from "./file_changes.ts";
 *
 * assert.equal(readWasCut("L1\nL2\n... [truncated at 2000 lines]\n"), true);
 * assert.equal(readWasCut("L1\n... [truncated at 51200 bytes]\n"), true);
 * assert.equal(readWasCut("L1\nL2\n"), false);
 * ```
 */
export function readWasCut(text: string): boolean {
  return /(^|\n)\.\.\. \[truncated at \d+ (lines|bytes)\]\n$/.test(text);
}

/** An edit call's replacements, or null when its arguments do not hold them. */
function editsOf(args: Record<string, unknown>): FileChange["edits"] | null {
  // The single-edit form ({path, oldText, newText}) is read too.
  const list = args.edits === undefined && "oldText" in args ? [args] : args.edits;
  if (!Array.isArray(list)) return null;
  const edits: FileChange["edits"] = [];
  for (const e of list) {
    if (!isObject(e) || typeof e.oldText !== "string" || typeof e.newText !== "string") return null;
    edits.push({ oldText: e.oldText, newText: e.newText });
  }
  return edits;
}

/**
 * Folds a session's records, in file order, into its file changes. Pure:
 * feed each record to {@linkcode FileChangeFold.add}, and each message line
 * that could not be decoded to {@linkcode FileChangeFold.unreadMessage}. It
 * starts from `state` when given (a saved {@linkcode FileChangeFold.state}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FileChangeFold } from "./file_changes.ts";
 *
 * const fold = new FileChangeFold();
 * const time = "2026-11-01T09:00:00Z";
 * const args = { path: "a.txt", edits: [{ oldText: "x", newText: "y" }] };
 * fold.add({ type: "message", role: "user", time, meta: {}, content: [] });
 * fold.add({ type: "message", role: "assistant", time, meta: {}, content: [
 *   { type: "tool_call", id: "c1", name: "edit", arguments: args },
 *   { type: "tool_call", id: "c2", name: "bash", arguments: { command: "make" } },
 * ] });
 * fold.add({ type: "message", role: "tool", time, meta: {}, content: [
 *   { type: "tool_result", callId: "c1", isError: false, content: [] },
 * ] });
 * const [change] = fold.state.changes;
 * assert.deepEqual([change.path, change.index, change.ok, change.edits[0].newText], ["a.txt", 1, true, "y"]);
 * assert.equal(fold.state.shellCommands, 1);
 * ```
 */
export class FileChangeFold {
  readonly state: FileChangesState;

  constructor(state: FileChangesState = emptyFileChanges()) {
    this.state = state;
  }

  /** Takes the next record. */
  add(r: SessionRecord): void {
    if (r.type === "meta") {
      if (!this.state.metaSeen) {
        // The first meta line: later ones (a model switch) repeat its cwd.
        this.state.metaSeen = true;
        this.state.cwd = r.cwd;
        this.state.forkPoint = r.forkPoint;
      }
    } else if (r.type === "message") this.#message(r);
  }

  /** A message line that was counted but not decoded (too long to parse). */
  unreadMessage(): void {
    this.state.messages++;
    this.state.unreadMessages++;
  }

  #message(m: MessageRecord): void {
    const index = this.state.messages++;
    for (const b of m.content) {
      if (b.type === "tool_call") this.#call(b, index, m.time);
      else if (b.type === "tool_result") this.#result(b, index);
    }
  }

  #call(b: ToolCallBlock, index: number, time: string): void {
    const st = this.state;
    const inherited = copiedFromParent(st.forkPoint, index);
    if (b.name === "bash") {
      if (!inherited) st.shellCommands++;
      return;
    }
    if (b.name === "read") {
      const args = b.arguments;
      if (!st.texts || !isObject(args) || !isPath(args.path)) return;
      // Only a plain read is the whole file: no offset, limit or other argument.
      if (Object.keys(args).length === 1) st.pendingReads["#" + b.id] = args.path;
      return;
    }
    if (b.name !== "edit" && b.name !== "write") return;
    const args = b.arguments;
    const edits = isObject(args) && isPath(args.path)
      ? b.name === "edit" ? editsOf(args) : typeof args.content === "string" ? [] : null
      : null;
    if (!isObject(args) || edits === null) {
      if (!inherited) st.malformed++;
      return;
    }
    const path = args.path as string;
    const change: FileChange = {
      path,
      index,
      tool: b.name,
      ok: false,
      aborted: true,
      time,
      inherited,
      edits: st.texts ? edits : [],
      content: st.texts && b.name === "write" ? args.content as string : null,
    };
    if (st.texts) change.before = st.reads["#" + toolPathKey(st.cwd, path)] ?? null;
    st.pending["#" + b.id] = st.changes.length;
    st.changes.push(change);
  }

  #result(b: Extract<Block, { type: "tool_result" }>, index: number): void {
    const st = this.state;
    const id = "#" + b.callId;
    const at = st.pending[id];
    if (at !== undefined) {
      delete st.pending[id];
      const change = st.changes[at];
      change.ok = !b.isError;
      change.aborted = false;
      return;
    }
    const path = st.pendingReads[id];
    if (path === undefined) return;
    delete st.pendingReads[id];
    const whole = !b.isError && b.content.length > 0 && b.content.every((c) => c.type === "text");
    if (!whole) return;
    const text = b.content.map((c) => c.type === "text" ? c.text : "").join("");
    st.reads["#" + toolPathKey(st.cwd, path)] = { index, text: readWasCut(text) ? null : text };
  }
}

/**
 * A session's file changes from its records (all of them, in file order):
 * the fold run to the end.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileChangesOf } from "./file_changes.ts";
 *
 * const st = fileChangesOf([{ type: "message", role: "assistant", time: "", meta: {}, content: [
 *   { type: "tool_call", id: "c1", name: "write", arguments: { path: 7 } },
 * ] }], { texts: false });
 * assert.deepEqual([st.changes.length, st.malformed], [0, 1]);
 * ```
 */
export function fileChangesOf(
  records: Iterable<SessionRecord>,
  options: { texts?: boolean } = {},
): FileChangesState {
  const fold = new FileChangeFold(emptyFileChanges(options));
  for (const r of records) fold.add(r);
  return fold.state;
}
