/**
 * What `search` must find, worked out here from the files alone (no code of
 * the tool's but the record decoder): every message of a home, its body and
 * tool text, and which messages are a fork's copies of its parent's
 * (FORMAT.md, "Forks": a fork copies its parent's first `fork_point`
 * message lines as they are; a copy is told by comparing them).
 *
 * @module
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeRecord } from "../../lib/format/record_decode.ts";

/** One message as the reference decodes it. */
export interface RefMessage {
  path: string;
  index: number;
  role: string;
  time: string;
  body: string;
  tools: string;
  /** Its session's id, parent id and fork point (first meta line). */
  id: string;
  parent: string | null;
  forkPoint: number | null;
}

function strings(v: unknown, out: string[]): void {
  if (typeof v === "string") out.push(v);
  else if (typeof v === "number" || typeof v === "boolean") out.push(String(v));
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      strings(x, out);
    }
  }
}

/** Every message of every session file under `home`, decoded line by line. */
export async function reference(home: string): Promise<RefMessage[]> {
  const out: RefMessage[] = [];
  const root = join(home, "sessions");
  for (const dir of await readdir(root)) {
    for (const name of await readdir(join(root, dir))) {
      if (!name.endsWith(".jsonl")) continue;
      const path = join(root, dir, name);
      const lines = (await readFile(path, "utf8")).split("\n");
      lines.pop(); // after the last newline: nothing, or a line still being written
      let index = 0;
      let session = { id: name, parent: null as string | null, forkPoint: null as number | null };
      for (const [n, line] of lines.entries()) {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          continue;
        }
        const r = decodeRecord(value);
        if (n === 0 && r?.type === "meta") {
          session = { id: r.id, parent: r.parent || null, forkPoint: r.forkPoint };
        }
        if (r?.type !== "message") continue;
        const body: string[] = [];
        const tools: string[] = [];
        for (const b of r.content) {
          if (b.type === "text" && b.text) body.push(b.text);
          if (b.type === "reasoning" && b.summary) body.push(b.summary);
          if (b.type === "tool_call") {
            const args: string[] = [];
            strings(b.arguments, args);
            tools.push(b.name, ...args);
          }
          if (b.type === "tool_result") {
            for (const c of b.content) if (c.type === "text" && c.text) tools.push(c.text);
          }
        }
        out.push({
          path,
          index: index++,
          role: r.role,
          time: r.time,
          body: body.join("\n"),
          tools: tools.filter((t) => t !== "").join("\n"),
          ...session,
        });
      }
    }
  }
  return out;
}

/** A message's key: its path and index. */
export const keyOf = (m: { path: string; index: number }) => `${m.path} ${m.index}`;

/** The messages holding every word (case folded), with `tools` their tool text too. */
export function matching(messages: RefMessage[], words: string[], tools: boolean): RefMessage[] {
  const terms = words.map((w) => w.toLowerCase());
  return messages.filter((m) => {
    const text = (tools ? `${m.body}\n${m.tools}` : m.body).toLowerCase();
    return terms.every((t) => text.includes(t));
  });
}

/** The (path, index) keys the reference says match, sorted. */
export function expected(messages: RefMessage[], words: string[], tools: boolean): string[] {
  return matching(messages, words, tools).map(keyOf).sort();
}

/**
 * The copies among `messages` (keys), each with its parent's id: a fork's
 * message before its fork point that its parent (among `messages`) holds
 * the same at that index.
 */
export function copies(messages: RefMessage[]): Map<string, string> {
  const byId = new Map<string, RefMessage[]>();
  for (const m of messages) {
    const list = byId.get(m.id) ?? [];
    list.push(m);
    byId.set(m.id, list);
  }
  const out = new Map<string, string>();
  for (const m of messages) {
    if (m.parent === null || m.forkPoint === null || m.index >= m.forkPoint) continue;
    const original = byId.get(m.parent)?.find((p) =>
      p.index === m.index && p.role === m.role && p.time === m.time && p.body === m.body &&
      p.tools === m.tools
    );
    if (original) out.set(keyOf(m), m.parent);
  }
  return out;
}
