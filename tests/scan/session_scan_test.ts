/**
 * The resumable scan: for generated zot files, a scan resumed from the state
 * saved at any point (every line boundary, and every byte, as a file that was
 * caught while zot was writing it) gives the same summary, ledger and spend
 * events as one full scan. The saved state survives a JSON round trip, which
 * is how the index keeps it.
 */
import { withDir } from "../helpers/dirs.ts";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import {
  emptyScan,
  SCAN_FORMAT,
  scanFile,
  type ScanState,
  SessionScan,
} from "../../lib/scan/session_scan.ts";
import type { SpendEvent } from "../../lib/scan/ledger.ts";
import type { LineReaderOptions } from "../../lib/format/line_shape.ts";
import { generated, ID } from "../helpers/generated_sessions.ts";
import { metaLine, usageLine } from "../helpers/fixtures.ts";

/** Reader tunings: the defaults, and tiny chunks and a small line cap. */
const READERS: LineReaderOptions[] = [{}, { chunkSize: 16, maxLineBytes: 200, headBytes: 100 }];

interface Outcome {
  summary: unknown;
  ledger: unknown;
  events: SpendEvent[];
}

async function full(path: string, reader: LineReaderOptions): Promise<Outcome> {
  const events: SpendEvent[] = [];
  const r = await scanFile(path, { reader, onSpend: (e) => events.push(structuredClone(e)) });
  return { summary: r.summary, ledger: r.ledger, events };
}

/**
 * The file's first `cut` bytes scanned, its state saved (through JSON), then
 * the whole file scanned from that state: the events of both parts that go
 * with their states, and the second scan's summary and ledger.
 */
async function resumed(
  path: string,
  bytes: Uint8Array,
  cut: number,
  reader: LineReaderOptions,
): Promise<Outcome & { saved: ScanState }> {
  await writeFile(path, bytes.subarray(0, cut));
  const before: SpendEvent[] = [];
  const first = await scanFile(path, { reader, onSpend: (e) => before.push(structuredClone(e)) });
  const saved = JSON.parse(JSON.stringify(first.state)) as ScanState;
  await writeFile(path, bytes);
  const after: SpendEvent[] = [];
  const second = await scanFile(path, {
    reader,
    state: saved,
    onSpend: (e) => after.push(structuredClone(e)),
  });
  return {
    summary: second.summary,
    ledger: second.ledger,
    events: [...before.slice(0, first.savedEvents), ...after],
    saved,
  };
}

/** Offsets just past each newline, and 0. */
function lineBoundaries(bytes: Uint8Array): number[] {
  const out = [0];
  bytes.forEach((b, i) => {
    if (b === 0x0a) out.push(i + 1);
  });
  return out;
}

describe("SessionScan resumed from a saved state", () => {
  it("gives the full scan's summary, ledger and events from every line boundary", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      await fc.assert(
        fc.asyncProperty(generated, fc.constantFrom(...READERS), async ({ bytes }, reader) => {
          await writeFile(path, bytes);
          const whole = await full(path, reader);
          for (const cut of lineBoundaries(bytes)) {
            const r = await resumed(path, bytes, cut, reader);
            assert.equal(r.saved.offset, cut, "the state is saved at the boundary");
            assert.deepEqual(r.summary, whole.summary, `summary, resumed at ${cut}`);
            assert.deepEqual(r.ledger, whole.ledger, `ledger, resumed at ${cut}`);
            assert.deepEqual(r.events, whole.events, `events, resumed at ${cut}`);
          }
        }),
        { numRuns: 60 },
      );
    });
  });

  it("saves only complete lines when the file is caught mid-line, and resumes exactly", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      await fc.assert(
        fc.asyncProperty(generated, fc.nat(), async ({ bytes }, at) => {
          const cut = bytes.length === 0 ? 0 : at % (bytes.length + 1);
          await writeFile(path, bytes);
          const whole = await full(path, {});
          const r = await resumed(path, bytes, cut, {});
          // The saved offset is the last line boundary at or before the cut.
          const boundary = Math.max(...lineBoundaries(bytes).filter((b) => b <= cut));
          assert.equal(r.saved.offset, boundary);
          assert.deepEqual(r.summary, whole.summary);
          assert.deepEqual(r.ledger, whole.ledger);
          assert.deepEqual(r.events, whole.events);
        }),
        { numRuns: 200 },
      );
    });
  });

  it("numbers each event by its usage line, stable when resumed", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      const lines = [
        metaLine({ id: ID, cwd: "/p" }),
        usageLine({ input_tokens: 10, cost_usd: 0.1 }),
        usageLine({ input_tokens: 10, cost_usd: 0.1 }), // a repeat: no event, still counted
        usageLine({ input_tokens: 30, cost_usd: 0.3 }),
      ];
      await writeFile(path, lines.map((l) => l + "\n").join(""));
      const { events } = await full(path, {});
      assert.deepEqual(events.map((e) => e.ordinal), [1, 3]);
    });
  });

  it("an empty state starts at the top, in the current format", () => {
    const scan = new SessionScan(emptyScan());
    assert.equal(scan.save().format, SCAN_FORMAT);
    assert.deepEqual(scan.resumeAt, { start: 0, firstLine: 1 });
  });
});
