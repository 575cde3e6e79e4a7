/**
 * The rules the reference (changes_reference.ts) reads tool calls by, kept
 * apart: POSIX paths made absolute and normalised, and zot's own tools
 * (its read.go and edit.go) written out plainly.
 *
 * @module
 */

/** What a replay needs of a call. */
export interface Call {
  tool: "edit" | "write";
  edits: { oldText: string; newText: string }[];
  content: string;
}

/** A POSIX path without "." and ".." segments or doubled slashes. */
export function normal(path: string): string {
  const rooted = path.startsWith("/");
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg !== "..") out.push(seg);
    else if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (!rooted) out.push(seg);
  }
  return (rooted ? "/" : "") + out.join("/");
}

/** A tool's path made absolute with the session's cwd (POSIX), or null. */
export function absolute(cwd: string, path: string): string | null {
  if (path.startsWith("/")) return normal(path);
  return cwd.startsWith("/") ? normal(`${cwd}/${path}`) : null;
}

/** The path inside the session's cwd, or null when outside it. */
export function inProject(cwd: string, path: string): string | null {
  const abs = absolute(cwd, path);
  if (abs === null) {
    const rel = normal(path);
    return path.startsWith("/") || rel === ".." || rel.startsWith("../") ? null : rel;
  }
  const root = normal(cwd) + "/";
  return cwd.startsWith("/") && abs.startsWith(root) ? abs.slice(root.length) : null;
}

/** Whether zot's read stopped early: its last line says where. */
export function cut(read: string): boolean {
  const last = read.endsWith("\n") ? read.slice(0, -1).split("\n").pop()! : "";
  return last.startsWith("... [truncated at ") &&
    (last.endsWith(" lines]") || last.endsWith(" bytes]"));
}

/**
 * A call replayed on `text` as zot's edit does it; null when zot would
 * refuse it. A BOM is set aside; a text holding "\r\n" is matched with
 * "\n" and written back with "\r\n" everywhere. Every old text is looked
 * for in the text before the call: found exactly once (counted as `split`
 * counts, without overlap), the replacements not overlapping.
 */
export function replay(text: string | null, e: Call): string | null {
  if (e.tool === "write") return e.content;
  if (text === null) return null;
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const crlf = text.includes("\r\n");
  const body = text.slice(bom.length).split("\r\n").join("\n");
  const at = e.edits.map(({ oldText }) =>
    oldText !== "" && body.split(oldText).length === 2 ? body.indexOf(oldText) : -1
  );
  if (at.includes(-1)) return null;
  // From the last replacement to the first, so that the earlier places stay.
  const order = at.map((_, i) => i).sort((i, j) => at[j] - at[i]);
  let out = body;
  let next = Infinity;
  for (const i of order) {
    const end = at[i] + e.edits[i].oldText.length;
    if (end > next) return null;
    out = out.slice(0, at[i]) + e.edits[i].newText + out.slice(end);
    next = at[i];
  }
  return bom + (crlf ? out.split("\n").join("\r\n") : out);
}

/** The file a read stands for: zot added a "\n" ending a CRLF file's unended last line. */
export function readFile(read: string): string {
  return read.includes("\r\n") && read.endsWith("\n") && !read.endsWith("\r\n")
    ? read.slice(0, -1)
    : read;
}
