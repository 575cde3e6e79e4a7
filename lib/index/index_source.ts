/**
 * The index as a {@linkcode SessionSource}: a file whose fingerprint (device,
 * inode, size, mtime) is unchanged is not read at all; one that grew in place
 * (same inode, its first bytes and the bytes before the saved offset
 * unchanged) is read from the saved offset on; anything else is read whole.
 * A last line without its newline is never saved: it is read again next
 * time. Answers are the same as {@linkcode FileSource}'s, always: the saved
 * state is the scan's own fold state (tests check it after every kind of
 * change).
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { createHash } from "node:crypto";
import { RuntimeError } from "../base/errors.ts";
import { type ByteCounter, isCompressed, readRange } from "../format/lines.ts";
import type { MetaRecord } from "../format/records.ts";
import type { SpendEvent } from "../scan/ledger.ts";
import { scanFile, type ScanResult, type ScanState } from "../scan/session_scan.ts";
import { readFirstMeta } from "../scan/summary.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import type { OnSpend, SessionSource } from "../sessions/source.ts";
import {
  type FileRow,
  type Fingerprint,
  IndexBusyError,
  type IndexStore,
  isDamage,
} from "./store.ts";
import { sameCtime } from "./fingerprint.ts";
import { RowDamagedError } from "./checksum.ts";

/** How many bytes the two hashes cover. */
const HASH_BYTES = 4096;
/** Rows written per transaction while a run goes on (the rest at close). */
const BATCH = 200;

/** What a run of the index did, for `zot-sessions index`. */
export interface IndexCounts {
  /** Files answered from the index without reading. */
  unchanged: number;
  /** Files read from their saved offset on. */
  resumed: number;
  /** Files read whole (new, replaced, rewritten, shrunk). */
  rescanned: number;
}

/** The SQLite-backed source. */
export class IndexSource implements SessionSource {
  readonly counts: IndexCounts = { unchanged: 0, resumed: 0, rescanned: 0 };
  #pending: { row: FileRow; events: SpendEvent[] }[] = [];
  #failed = false;
  #damaged = false;
  #busy = false;
  #failure: string | null = null;

  /**
   * `onFailure` is told, once, when the database stops working mid-run
   * (disk full, removed): answers then come from the files alone.
   */
  constructor(
    readonly store: IndexStore,
    readonly stats: ByteCounter,
    private readonly onFailure: (message: string) => Promise<void> = () => Promise.resolve(),
    /** Told at close when the database turned out damaged: it is moved aside there. */
    private readonly onDamage: (path: string) => Promise<void> = () => Promise.resolve(),
    /** Prints a warning (a row that failed its checksum: its file was read again). */
    private readonly warn: (message: string) => Promise<void> = () => Promise.resolve(),
  ) {}

  async scan(file: SessionFile, onSpend?: OnSpend): Promise<ScanResult> {
    const path = file.path;
    const fp = await fileFingerprint(file);
    const row = this.#failed ? null : await this.#guard(() => this.store.get(path), null);
    const gz = isCompressed(path);
    const how = row ? await compareToSaved(path, row, row.state.offset, fp, this.stats) : "changed";
    if (row && how !== "changed") {
      const same = how === "same";
      // A .gz is read from its start to reach any offset: only an unchanged
      // one (saved only when complete) is answered from the index.
      if (same && (gz || row.state.offset === fp.size)) {
        const replayed = await this.#replay(row, onSpend);
        if (replayed) {
          this.counts.unchanged++;
          return replayed;
        }
      }
      if (!gz && fp.size >= row.state.offset) {
        const resumed = await this.#resume(file, fp, row, same, onSpend);
        if (resumed) return resumed;
      }
    }
    this.counts.rescanned++;
    const events: SpendEvent[] = [];
    const r = await scanFile(path, {
      reader: { stats: this.stats },
      onSpend: (e, info) => {
        events.push(e);
        onSpend?.(e, info);
      },
    });
    if (!gz) await this.#save(path, fp, r.state, events.slice(0, r.savedEvents));
    // An archive does not grow: kept whole, a cut last line with it.
    else await this.#save(path, fp, r.whole, events);
    return { summary: r.summary, ledger: r.ledger };
  }

  async firstMeta(path: string): Promise<MetaRecord | null> {
    if (!this.#failed) {
      const fp = await fingerprint(path).catch(() => null);
      const row = fp && await this.#guard(() => this.store.get(path), null);
      // Line 1 must be in the saved state (not a first line still unterminated).
      if (fp && row && sameFingerprint(row, fp) && row.state.lines >= 1) {
        return row.state.firstLineMeta ? row.state.summary.firstMeta : null;
      }
    }
    return readFirstMeta(path, this.stats);
  }

  /** Drops the rows of files gc removed or moved (saving first what this run read). */
  async forget(paths: string[]): Promise<void> {
    if (this.#failed) return;
    await this.#flush();
    if (paths.length === 0) return;
    await this.#guard(() => {
      this.store.write(() => paths.forEach((p) => this.store.delete(p)));
      this.store.scrub();
    }, undefined);
  }

  /**
   * Whether the index is still used this run (no failure of the database so
   * far): a caller with its own use of the store (search) asks first.
   */
  get usable(): boolean {
    return !this.#failed;
  }

  /**
   * Whether another run held the write lock longer than this run waits:
   * answers came from the index as it stood and the files this run read,
   * and what they read was not saved.
   */
  get busy(): boolean {
    return this.#busy;
  }

  /** What stopped the index this run (the database's error), or null. */
  get failure(): string | null {
    return this.#failure;
  }

  /**
   * A failure of the database met by a caller (search): the index is not
   * used for the rest of the run, with one warning; damage moves it aside
   * at close.
   */
  async fail(err: unknown): Promise<void> {
    await this.#guard(() => {
      throw err;
    }, undefined);
  }

  async close(): Promise<void> {
    await this.#flush();
    try {
      this.store.close();
    } catch {
      // closing a failed database: nothing more to save
    }
    if (this.#damaged) await this.onDamage(this.store.path);
  }

  /** The row's answer; null when its events are gone (a newer row, a failed database): read the file. */
  async #replay(row: FileRow, onSpend?: OnSpend): Promise<ScanResult | null> {
    const { summary, ledger } = row.state;
    if (onSpend) {
      const events = await this.#guard(() => this.store.events(row), null);
      if (!events) return null;
      for (const e of events) onSpend(e, ledger.info);
    }
    return { summary, ledger: ledger.info };
  }

  async #resume(
    file: SessionFile,
    fp: Fingerprint,
    row: FileRow,
    same: boolean,
    onSpend?: OnSpend,
  ): Promise<ScanResult | null> {
    // The events of the row read, or none (then the file is read whole).
    const old = await this.#guard(() => this.store.events(row), null);
    if (!old) return null;
    this.counts.resumed++;
    const fresh: SpendEvent[] = [];
    const r = await scanFile(file.path, {
      state: row.state,
      reader: { stats: this.stats },
      onSpend: (e) => fresh.push(e),
    });
    if (onSpend) { for (const e of [...old, ...fresh]) onSpend(e, r.ledger); }
    // Unchanged but for a last line still being written: nothing new to save.
    if (!same || r.state.offset !== row.state.offset) {
      await this.#save(file.path, fp, r.state, [...old, ...fresh.slice(0, r.savedEvents)]);
    }
    return { summary: r.summary, ledger: r.ledger };
  }

  async #save(path: string, fp: Fingerprint, state: ScanState, events: SpendEvent[]) {
    if (this.#failed || this.#busy) return;
    let h;
    try {
      h = await hashes(path, state.offset, this.stats);
    } catch {
      return; // gone or unreadable since it was read: nothing to keep
    }
    this.#pending.push({
      row: { path, ...fp, headHash: h.head, tailHash: h.tail, state },
      events,
    });
    if (this.#pending.length >= BATCH) await this.#flush();
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0 || this.#failed || this.#busy) return;
    await this.#guard(
      () => this.store.write(() => batch.forEach((b) => this.store.put(b.row, b.events))),
      undefined,
    );
  }

  /**
   * Runs a database call; a failure turns the index off for the rest of the
   * run, with one warning. Another run holding the write lock is no failure:
   * this run saves nothing more, and says nothing.
   */
  async #guard<T>(fn: () => T, fallback: T): Promise<T> {
    try {
      return fn();
    } catch (err) {
      if (err instanceof IndexBusyError) {
        this.#busy = true;
        this.#pending = [];
        return fallback;
      }
      if (err instanceof RowDamagedError) {
        // One row, not the database: its file is read again and saved anew.
        await this.warn(err.message);
        return fallback;
      }
      this.#failed = true;
      this.#damaged = isDamage(err);
      this.#pending = [];
      this.#failure = `Cannot update the index "${this.store.path}": ${
        err instanceof Error ? err.message : String(err)
      }`;
      await this.onFailure(err instanceof Error ? err.message : String(err));
      return fallback;
    }
  }
}

/** A file's fingerprint, by `stat` (throws as reading it would). */
export async function fingerprint(path: string): Promise<Fingerprint> {
  const s = await stat(path);
  return {
    dev: s.dev,
    ino: s.ino,
    size: s.size,
    mtimeMs: Math.floor(s.mtime.getTime()),
    ctimeMs: s.ctimeMs,
  };
}

/** Whether two fingerprints are the same file, unchanged. */
function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs &&
    sameCtime(a.ctimeMs, b.ctimeMs);
}

/**
 * A listed file's fingerprint: the listing's stat when it has one (a second
 * stat was ~10% of a warm `ls`), else a `stat` now. If the file grew since
 * it was listed, what is saved reaches past the saved size, and the next run
 * resumes there (reading nothing new).
 */
export function fileFingerprint(file: SessionFile): Promise<Fingerprint> {
  return file.dev !== undefined && file.ino !== undefined && file.ctimeMs !== undefined
    ? Promise.resolve({
      dev: file.dev,
      ino: file.ino,
      size: file.bytes,
      mtimeMs: file.mtimeMs,
      ctimeMs: file.ctimeMs,
    })
    : fingerprint(file.path);
}

/**
 * How a file stands against what was saved of it (its fingerprint, and
 * hashes of the bytes before `offset`, where reading stopped): `same` when
 * the fingerprint is unchanged (nothing is read); `grown` when zot appended
 * to it (the same file, bigger, its first bytes and those before `offset`
 * as they were: reading may go on from `offset`); `changed` for anything
 * else (replaced, shrunk, rewritten in place, even with the same size): it
 * is read whole. The one rule of the index and of the search text.
 */
export async function compareToSaved(
  path: string,
  saved: Fingerprint & { headHash: string; tailHash: string },
  offset: number,
  fp: Fingerprint,
  stats: ByteCounter,
): Promise<"same" | "grown" | "changed"> {
  if (saved.dev !== fp.dev || saved.ino !== fp.ino) return "changed";
  if (sameFingerprint(saved, fp)) return "same";
  if (fp.size <= saved.size) return "changed";
  const h = await hashes(path, offset, stats).catch(() => null);
  return h && h.head === saved.headHash && h.tail === saved.tailHash ? "grown" : "changed";
}

/** Hashes of the first min(4 KiB, offset) bytes and of the 4 KiB before `offset`. */
export async function hashes(
  path: string,
  offset: number,
  stats: ByteCounter,
): Promise<{ head: string; tail: string }> {
  if (isCompressed(path)) return { head: "", tail: "" }; // never resumed: only the fingerprint counts
  const headLength = Math.min(HASH_BYTES, offset);
  const tailStart = Math.max(0, offset - HASH_BYTES);
  // One read when the two windows touch or overlap (files under 8 KiB).
  const bytes = await readRange(path, 0, tailStart <= headLength ? offset : headLength, stats);
  const head = bytes.subarray(0, headLength);
  const tail = tailStart <= headLength
    ? bytes.subarray(tailStart, offset)
    : await readRange(path, tailStart, offset - tailStart, stats);
  if (head.length !== headLength || tail.length !== offset - tailStart) {
    throw new RuntimeError(`Cannot read "${path}": shorter than the index saw it`);
  }
  return { head: digest(head), tail: digest(tail) };
}

function digest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("base64");
}
