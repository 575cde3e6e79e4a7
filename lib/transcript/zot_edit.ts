/**
 * zot's own rules for a file's text, copied from its tools (zot's
 * internal/agent/tools/read.go, edit.go and write.go), so that a session's
 * calls are replayed as zot made them:
 *
 * - `read` gives the file's bytes as text, a "\n" added to a last line
 *   without one (and cut short after 2000 lines or 50 KiB, see
 *   lib/transcript/file_changes.ts);
 * - `edit` takes a UTF-8 BOM off, and in a file holding "\r\n" matches
 *   against the text with each "\r\n" turned into "\n". Each old text must
 *   be found once in the text before the call (occurrences counted without
 *   overlap, as Go's `strings.Count` does), and the replacements must not
 *   overlap. Then, in such a file, every "\n" becomes "\r\n", and the BOM
 *   is put back;
 * - `write` writes its content as it is.
 *
 * @module
 */

/** One replacement of an `edit` call. */
export interface Edit {
  oldText: string;
  newText: string;
}

const BOM = "\uFEFF";

/**
 * `text` after an edit call's replacements, as zot's edit makes it; null
 * when zot's edit would have refused the call (an old text empty, not found
 * once, or overlapping another).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { replay } from "./zot_edit.ts";
 *
 * assert.equal(replay("a b a", [{ oldText: "b", newText: "c" }]), "a c a");
 * assert.equal(replay("a b a", [{ oldText: "a", newText: "c" }]), null); // twice
 * assert.equal(replay("a\r\nb\r\n", [{ oldText: "a\nb", newText: "A\nB" }]), "A\r\nB\r\n");
 * assert.equal(replay("\uFEFFx\n", [{ oldText: "x", newText: "y" }]), "\uFEFFy\n");
 * ```
 */
export function replay(text: string, edits: Edit[]): string | null {
  const bom = text.startsWith(BOM) ? BOM : "";
  let body = text.slice(bom.length);
  const crlf = body.includes("\r\n");
  if (crlf) body = body.replaceAll("\r\n", "\n");
  const spans: { at: number; end: number; newText: string }[] = [];
  for (const e of edits) {
    const at = e.oldText === "" ? -1 : body.indexOf(e.oldText);
    const end = at + e.oldText.length;
    if (at < 0 || body.indexOf(e.oldText, end) >= 0) return null;
    spans.push({ at, end, newText: e.newText });
  }
  spans.sort((a, b) => a.at - b.at);
  let out = "";
  let from = 0;
  for (const s of spans) {
    if (s.at < from) return null; // overlapping
    out += body.slice(from, s.at) + s.newText;
    from = s.end;
  }
  out += body.slice(from);
  return bom + (crlf ? out.replaceAll("\n", "\r\n") : out);
}

/**
 * The file a whole `read`'s text stands for, and whether that text shows
 * how the file's last line ends. zot's read adds "\n" to a last line
 * without one, so a text ending in "\n" does not tell, but for one case: a
 * file whose lines end in "\r\n" and whose text ends in a bare "\n" had no
 * line end there (the "\n" is zot's, and is taken off).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileOfRead } from "./zot_edit.ts";
 *
 * assert.deepEqual(fileOfRead("a\nb\n"), { text: "a\nb\n", endKnown: false });
 * assert.deepEqual(fileOfRead("a\r\nb\n"), { text: "a\r\nb", endKnown: true });
 * assert.deepEqual(fileOfRead(""), { text: "", endKnown: true });
 * ```
 */
export function fileOfRead(text: string): { text: string; endKnown: boolean } {
  if (!text.endsWith("\n")) return { text, endKnown: true };
  if (text.includes("\r\n") && !text.endsWith("\r\n")) {
    return { text: text.slice(0, -1), endKnown: true };
  }
  return { text, endKnown: false };
}
