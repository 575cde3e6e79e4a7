/**
 * What `changes` must say of a session, decoded here from its JSONL with
 * `JSON.parse` and nothing of lib/: issue 24's rules written out plainly, a
 * second implementation to check the first against.
 *
 * - Messages are numbered from 0, every parseable `message` line counted.
 * - A fork's calls in messages below its `fork_point` are its parent's.
 * - `edit` `{path, edits:[{oldText, newText}]}` and `write` `{path,
 *   content}`; ok when the result is there without `is_error`.
 * - The text a file's patch starts from: the last whole-file `read` result
 *   (a read with only `path`, text blocks only, no error; none when zot cut
 *   it, its last line saying `... [truncated at N lines]` or `N bytes]`)
 *   before the first own successful call, with the successful calls before
 *   it replayed on it (by zot's edit rules, see `replay`); a write's
 *   content replaces it. zot's read ends an unended last line with "\n":
 *   taken off in a CRLF file, where it is a bare one. A write to
 *   a file neither read nor changed before creates it (from nothing).
 * - Counts: lines added and removed by a longest common subsequence of
 *   lines (jsdiff's diff is minimal, so its counts are these), from the
 *   text to start from to the last one known. Without a text to start
 *   from, or once it is lost (a replacement's old text missing, a call
 *   with no result), each later call counts its replacements' lines (a
 *   snippet's lines: "\n" added when it lacks one), a write's content as
 *   added, and the text is known again after a write.
 *
 * @module
 */
import { absolute, cut, inProject, normal, readFile, replay } from "./changes_reference_rules.ts";

/** What `changes --json` says of one file, and what its patch applies to. */
export interface RefFile {
  path: string;
  absolutePath: string | null;
  /** Inside the session's cwd: the name the patch gives it (else an absolute one). */
  projectPath: string | null;
  created: boolean;
  added: number;
  removed: number;
  changes: { index: number; tool: "edit" | "write"; ok: boolean }[];
  /** Whether the patch carries line numbers. */
  numbered: boolean;
  /** The text the patch applies to ("" when created), and what it gives. */
  base: string | null;
  final: string | null;
}

/** A session's reference. */
export interface SessionRef {
  id: string;
  shellCommands: number;
  /** A fork's fork point (its own messages start there), 0 for a session that is none. */
  forkPoint: number;
  files: RefFile[];
}

type Json = Record<string, unknown>;
type Edit = { oldText: string; newText: string };
type Event =
  | { kind: "read"; text: string | null }
  | {
    kind: "call";
    path: string;
    index: number;
    tool: "edit" | "write";
    own: boolean;
    id: string;
    edits: Edit[];
    content: string;
  };

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A text's lines, each with its "\n" (the last may lack one). */
const linesOf = (text: string) => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** Lines removed and added from `a` to `b`: a longest common subsequence of lines. */
export function lineCounts(a: string, b: string): { added: number; removed: number } {
  const x = linesOf(a);
  const y = linesOf(b);
  let prev = new Array(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    const row = new Array(y.length + 1).fill(0);
    for (let j = 1; j <= y.length; j++) {
      row[j] = x[i - 1] === y[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    }
    prev = row;
  }
  const common = prev[y.length];
  return { added: y.length - common, removed: x.length - common };
}

/** The reference of a session file's text. */
export function reference(text: string): SessionRef {
  let id = "";
  let cwd = "";
  let forkPoint = 0;
  let sawMeta = false;
  let index = 0;
  let shellCommands = 0;
  const results = new Map<string, boolean>(); // call id → ok
  const readCalls = new Map<string, string>(); // call id → path
  const events = new Map<string, Event[]>(); // path → its reads and calls
  // One file may be named several ways: its normalised absolute path is its key.
  const push = (path: string, e: Event) => {
    const key = absolute(cwd, path) ?? normal(path);
    events.set(key, [...(events.get(key) ?? []), e]);
  };
  for (const line of text.split("\n")) {
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isObj(r)) continue;
    if (r.type === "meta" && isObj(r.meta) && !sawMeta) {
      sawMeta = true;
      id = String(r.meta.id ?? "");
      cwd = String(r.meta.cwd ?? "");
      forkPoint = typeof r.meta.fork_point === "number" ? r.meta.fork_point : 0;
    }
    if (r.type !== "message" || !isObj(r.message)) continue;
    const own = index >= forkPoint;
    const blocks = Array.isArray(r.message.content) ? r.message.content.filter(isObj) : [];
    for (const b of blocks) {
      if (typeof b.call_id === "string" && b.call_id !== "") {
        results.set(b.call_id, b.is_error !== true);
        const path = readCalls.get(b.call_id);
        const inner = Array.isArray(b.content) ? b.content.filter(isObj) : [];
        if (
          path !== undefined && b.is_error !== true && inner.length > 0 &&
          inner.every((c) => !c.mime_type)
        ) {
          const read = inner.map((c) => String(c.text ?? "")).join("");
          push(path, { kind: "read", text: cut(read) ? null : readFile(read) });
        }
        continue;
      }
      if (typeof b.name !== "string" || typeof b.id !== "string" || !b.name || !b.id) continue;
      const a = b.arguments;
      if (b.name === "bash" && own) shellCommands++;
      if (!isObj(a) || typeof a.path !== "string" || a.path === "") continue;
      if (b.name === "read" && Object.keys(a).length === 1) readCalls.set(b.id, a.path);
      const edits = Array.isArray(a.edits) ? a.edits : null;
      const editsOk = edits?.every((e) =>
        isObj(e) && typeof e.oldText === "string" && typeof e.newText === "string"
      );
      if (b.name === "edit" && edits && editsOk) {
        const call = { index, tool: "edit" as const, own, id: b.id, edits: edits as Edit[] };
        push(a.path, { kind: "call", ...call, path: a.path, content: "" });
      }
      if (b.name === "write" && typeof a.content === "string") {
        push(a.path, {
          kind: "call",
          path: a.path,
          index,
          tool: "write",
          own,
          id: b.id,
          edits: [],
          content: a.content,
        });
      }
    }
    index++;
  }
  const files: { first: number; file: RefFile }[] = [];
  for (const list of events.values()) {
    const calls = list.filter((e) => e.kind === "call");
    const own = calls.filter((c) => c.own);
    if (own.length === 0) continue;
    const path = own[0].path;
    const ok = (c: { id: string }) => results.get(c.id) === true;
    let text: string | null = null;
    let known = false;
    let start = list.length;
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (e.kind === "read") [text, known] = [e.text, true];
      else if (e.own && ok(e)) {
        start = i;
        break;
      } else if (ok(e)) [text, known] = [replay(text, e), true];
      else if (!results.has(e.id)) text = null;
    }
    const first = list[start];
    const created = first?.kind === "call" && first.tool === "write" && text === null && !known;
    const base: string | null = created ? "" : text;
    // Counts: each stretch where the text is known counts as one diff; a
    // call made where it is not counts its own lines, and a write's content
    // makes it known again.
    let [from, now] = [base, base];
    let lostOnce = base === null;
    const counts = { added: 0, removed: 0 };
    const add = (n: { added: number; removed: number }) => {
      counts.added += n.added;
      counts.removed += n.removed;
    };
    const stop = () => {
      if (from !== null && now !== null) add(lineCounts(from, now));
      from = now = null;
      lostOnce = true;
    };
    for (const e of list.slice(start)) {
      if (e.kind !== "call") continue;
      if (!results.has(e.id)) stop();
      if (!ok(e)) continue;
      const next = replay(now, e);
      if (next === null || now === null) {
        if (now !== null) stop();
        add(snippetCounts([e]));
        from = now = next;
      } else now = next;
    }
    const numbered = !lostOnce;
    if (from !== null && now !== null) add(lineCounts(from, now));
    files.push({
      first: own[0].index,
      file: {
        path,
        absolutePath: absolute(cwd, path),
        projectPath: inProject(cwd, path),
        created,
        ...counts,
        changes: own.map((c) => ({ index: c.index, tool: c.tool, ok: ok(c) })),
        numbered: numbered || start === list.length,
        base: numbered ? base : null,
        final: numbered ? now : null,
      },
    });
  }
  files.sort((a, b) => a.first - b.first);
  return { id, shellCommands, forkPoint, files: files.map((f) => f.file) };
}

/** The counts without a text to start from: each replacement's, each write's content. */
function snippetCounts(
  calls: Extract<Event, { kind: "call" }>[],
): { added: number; removed: number } {
  const whole = (s: string) => s === "" || s.endsWith("\n") ? s : s + "\n";
  let added = 0;
  let removed = 0;
  for (const c of calls) {
    const pairs = c.tool === "write" ? [{ oldText: "", newText: c.content }] : c.edits;
    for (const p of pairs) {
      const n = lineCounts(whole(p.oldText), whole(p.newText));
      added += n.added;
      removed += n.removed;
    }
  }
  return { added, removed };
}
