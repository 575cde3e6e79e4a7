/**
 * Reading a session file for the index: whole, or on from where its row
 * stops. Each gives the answer (summary, ledger, the file's change rows)
 * and what to save: the scan's state at the last complete line, the spend
 * events up to there, and the change scan's state with the change rows.
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import { isCompressed } from "../format/lines_gzip.ts";
import type { SpendEvent } from "../scan/ledger.ts";
import type { ScanState } from "../scan/session_scan.ts";
import type { OnSpend } from "../sessions/source.ts";
import { callRows, type ChangeRow } from "../transcript/change_rows.ts";
import {
  type ChangeScan,
  type ChangeScanState,
  scanFileWithChanges,
} from "../transcript/change_scan.ts";
import type { FileRow } from "./file_row.ts";
import { nextOwnPaths, type OwnPaths } from "./own_paths.ts";
import type { FileRead } from "./indexed_changes.ts";
import type { FileChanges } from "./store.ts";

/** What a read of a file keeps. */
export interface ToSave {
  state: ScanState;
  events: SpendEvent[];
  /** The change rows from place `from` on, and the change scan's state. */
  changes: FileChanges & { state: ChangeScanState; paths: OwnPaths };
}

/**
 * The change rows to keep from place `from` on (`saved`), with the row
 * counts after them (`prior`: those of the row read on from), and the
 * answer's (`whole`).
 */
function changeRows(saved: ChangeScan, whole: ChangeScan, from: number, prior: OwnPaths | null) {
  const rows = callRows(saved.state.fold.cwd, saved.changes);
  return {
    kept: { state: saved.state, from, rows, paths: nextOwnPaths(prior, rows, saved.state.base) },
    answer: callRows(whole.state.fold.cwd, whole.changes),
  };
}

/**
 * A file read whole: its answer and what to keep. An archive (`.gz`) does
 * not grow: it is kept whole, a cut last line with it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readWhole } from "./file_reads.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zs-"));
 * const call = { id: "c1", name: "write", arguments: { path: "/src/a.go", content: "" } };
 * const time = "2026-11-01T10:00:00Z";
 * const line = { type: "message", message: { role: "assistant", content: [call], time } };
 * // The last line has no newline yet: answered, not kept.
 * await writeFile(join(dir, "s.jsonl"), JSON.stringify(line));
 * const { answer, save } = await readWhole(join(dir, "s.jsonl"), { bytesRead: 0 });
 * assert.deepEqual([answer.changes?.length, save.changes.rows.length, save.state.offset], [1, 0, 0]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function readWhole(
  path: string,
  stats: ByteCounter,
  onSpend?: OnSpend,
): Promise<{ answer: FileRead; save: ToSave }> {
  const gz = isCompressed(path);
  const events: SpendEvent[] = [];
  const r = await scanFileWithChanges(path, {
    reader: { stats },
    onSpend: (e, info) => {
      events.push(e);
      onSpend?.(e, info);
    },
  });
  const changes = changeRows(gz ? r.wholeChanges : r.changes, r.wholeChanges, 0, null);
  return {
    answer: { summary: r.summary, ledger: r.ledger, changes: changes.answer, row: null },
    save: gz
      ? { state: r.whole, events, changes: changes.kept }
      : { state: r.state, events: events.slice(0, r.savedEvents), changes: changes.kept },
  };
}

/**
 * A file read on from where `row` stops, `old` being the row's events and
 * its change rows before its change scan's base (those the answer has too;
 * none when not asked for): its answer and what to keep.
 */
export async function readOn(
  path: string,
  row: FileRow,
  old: { events: SpendEvent[]; changes: ChangeRow[] },
  stats: ByteCounter,
  onSpend?: OnSpend,
): Promise<{ answer: FileRead; save: ToSave }> {
  const fresh: SpendEvent[] = [];
  const r = await scanFileWithChanges(path, {
    state: row.state,
    changes: row.changes,
    reader: { stats },
    onSpend: (e) => fresh.push(e),
  });
  if (onSpend) { for (const e of [...old.events, ...fresh]) onSpend(e, r.ledger); }
  const changes = changeRows(r.changes, r.wholeChanges, row.changes.base, row.ownPaths);
  return {
    answer: {
      summary: r.summary,
      ledger: r.ledger,
      changes: [...old.changes, ...changes.answer],
      row,
    },
    save: {
      state: r.state,
      events: [...old.events, ...fresh.slice(0, r.savedEvents)],
      changes: changes.kept,
    },
  };
}
