/**
 * What `blame` must list, decoded here from a home's files with JSON.parse
 * and nothing of lib/: issue 24's rules written out plainly, a second
 * implementation to check the first against.
 *
 * - Messages are numbered from 0, every parseable `message` line counted.
 * - A block is a tool call when it has `id` and `name` (and no reasoning
 *   field); `edit` takes `{path, edits: [{oldText, newText}]}` (or one
 *   replacement inline), `write` `{path, content}`; other arguments are no
 *   call.
 * - A fork's calls in messages below its `fork_point` are its parent's,
 *   unless no file of the home has the parent's id (its first meta line's):
 *   then they are the fork's.
 * - A call is ok when its result (a block with its `call_id`) came without
 *   `is_error`.
 * - The file is the path joined with the first meta line's cwd (or the
 *   path itself when absolute), normalised; the session's `cwd` shown is
 *   the latest meta line's.
 * - Newest first: by the message's instant, then the newer file (mtime,
 *   then path), then the later call.
 *
 * @module
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, posix } from "node:path";

/** What `blame --json` says of one change (field order included). */
export interface RefChange {
  id: string;
  shortId: string;
  path: string;
  cwd: string;
  index: number;
  tool: string;
  file: string;
  time: string;
  ok: boolean;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown) => typeof v === "string" && v !== "";

/** An edit's or write's arguments as the tools take them (else the call is left out). */
function wellFormed(name: string, args: unknown): args is { path: string } {
  if (!isObj(args) || !text(args.path)) return false;
  if (name === "write") return typeof args.content === "string";
  const edits = args.edits === undefined && "oldText" in args ? [args] : args.edits;
  return Array.isArray(edits) &&
    edits.every((e) => isObj(e) && typeof e.oldText === "string" && typeof e.newText === "string");
}

/** Every own edit and write call of the sessions of `home`, with the absolute file each names. */
export async function reference(
  home: string,
): Promise<(RefChange & { absolute: string; mtime: number })[]> {
  const out: (RefChange & { absolute: string; mtime: number })[] = [];
  const ids = new Set<string>();
  const copies: { parent: string; calls: (RefChange & { absolute: string; mtime: number })[] }[] =
    [];
  for (const dir of await readdir(join(home, "sessions"))) {
    for (const name of await readdir(join(home, "sessions", dir))) {
      const path = join(home, "sessions", dir, name);
      const mtime = (await stat(path)).mtimeMs;
      let first: Json | null = null;
      let cwd = "";
      let index = 0;
      const calls = new Map<string, RefChange & { absolute: string; mtime: number }>();
      const own: (RefChange & { absolute: string; mtime: number })[] = [];
      const copied: (RefChange & { absolute: string; mtime: number })[] = [];
      for (const line of (await readFile(path, "utf8")).split("\n")) {
        let v: unknown;
        try {
          v = JSON.parse(line);
        } catch {
          continue;
        }
        if (!isObj(v)) continue;
        if (v.type === "meta" && isObj(v.meta)) {
          first ??= v.meta;
          cwd = String(v.meta.cwd ?? "");
        }
        if (v.type !== "message" || !isObj(v.message)) continue;
        const m = v.message;
        const at = index++;
        const forkPoint = typeof first?.fork_point === "number" ? first.fork_point : null;
        for (const b of Array.isArray(m.content) ? m.content : []) {
          if (!isObj(b) || text(b.reasoning_id) || text(b.encrypted_content)) continue;
          if (text(b.name) && text(b.id)) {
            const name = b.name as string;
            if (name !== "edit" && name !== "write") continue;
            if (!wellFormed(name, b.arguments)) continue;
            const file = b.arguments.path;
            const firstCwd = String(first?.cwd ?? "");
            const id = String(first?.id ?? "");
            const c = {
              id,
              shortId: id.slice(0, 8),
              path,
              cwd: "",
              index: at,
              tool: name,
              file,
              time: String(m.time),
              ok: false,
              absolute: file.startsWith("/") ? posix.normalize(file) : posix.join(firstCwd, file),
              mtime,
            };
            calls.set(b.id as string, c);
            (forkPoint !== null && at < forkPoint ? copied : own).push(c);
          } else if (text(b.call_id) && calls.has(b.call_id as string)) {
            calls.get(b.call_id as string)!.ok = b.is_error !== true;
            calls.delete(b.call_id as string);
          }
        }
      }
      for (const c of own) out.push({ ...c, cwd });
      ids.add(String(first?.id ?? ""));
      copies.push({
        parent: String(first?.parent ?? ""),
        calls: copied.map((c) => ({ ...c, cwd })),
      });
    }
  }
  for (const { parent, calls } of copies) if (!ids.has(parent)) out.push(...calls);
  return out;
}

/** What `blame --json` must print for `absolute` among `changes`: newest first. */
export function expected(
  changes: Awaited<ReturnType<typeof reference>>,
  absolute: string,
): RefChange[] {
  return changes.filter((c) => c.absolute === absolute)
    .map((c, i) => ({ c, i }))
    .sort((a, b) =>
      Date.parse(b.c.time) - Date.parse(a.c.time) || b.c.mtime - a.c.mtime ||
      (a.c.path < b.c.path ? 1 : a.c.path > b.c.path ? -1 : 0) || b.i - a.i
    )
    .map(({ c }) => {
      const { absolute: _, mtime: __, ...json } = c;
      return json;
    });
}
