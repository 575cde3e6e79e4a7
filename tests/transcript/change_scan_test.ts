/**
 * Tests of lib/transcript/change_scan.ts: the changes gathered beside the
 * scan, which parses only the lines that may hold a call it keeps (and
 * reads results off a tool message's ends), equal the extractor's fold over
 * every record decoded (the reference: JSON.parse of each line here); and
 * a scan saved at any line and resumed gives what one scan gives. On
 * generated files (tests/helpers/generated_sessions.ts), with the default
 * reader and one with tiny chunks and a line cap, and on the samples.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeRecord } from "../../lib/format/record_decode.ts";
import type { LineReaderOptions } from "../../lib/format/line_shape.ts";
import { scanFileWithChanges } from "../../lib/transcript/change_scan.ts";
import { emptyFileChanges, FileChangeFold } from "../../lib/transcript/file_changes.ts";
import { readFileChanges } from "../../lib/transcript/file_changes_read.ts";
import { generated, generatedWith } from "../helpers/generated_sessions.ts";

/** Files with tool calls now and then, or many of them. */
const files = fc.oneof(generated, generatedWith(8));
import { withDir } from "../helpers/dirs.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";

const TINY: LineReaderOptions = { chunkSize: 16, maxLineBytes: 200, headBytes: 100 };
const READERS: [string, LineReaderOptions][] = [["default", {}], ["tiny", TINY]];

/**
 * The reference: each line parsed here and handed to the fold. A message
 * line over the cap is one the scan cannot parse: counted unread; any other
 * line over the cap, or one without its newline, is damage.
 */
function reference(bytes: Uint8Array, cap = Infinity) {
  const fold = new FileChangeFold(emptyFileChanges({ texts: false }));
  const lines = new TextDecoder().decode(bytes).split("\n");
  for (let [i, line] of lines.entries()) {
    line = line.replace(/\r$/, "");
    const long = new TextEncoder().encode(line).length > cap;
    if (long && i === lines.length - 1) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const r = decodeRecord(value);
    // Over the cap, only a message is known (by its ends).
    if (r === null || r.type === "invalid" || (long && r.type !== "message")) continue;
    if (r.type === "message" && long) fold.unreadMessage();
    else fold.add(r);
  }
  return fold.state;
}

/** The changes as compared: all of them, inherited ones too. */
const plain = (changes: { change: unknown }[]) => changes.map((c) => c.change);

describe("change scan", () => {
  for (const [name, reader] of READERS) {
    it(`finds the changes a fold over every record finds (${name} reader)`, async () => {
      await withDir(async (dir) => {
        const path = join(dir, "s.jsonl");
        await fc.assert(
          fc.asyncProperty(files, async ({ bytes }) => {
            await writeFile(path, bytes);
            const r = await scanFileWithChanges(path, { reader });
            const expected = reference(bytes, reader.maxLineBytes);
            assert.deepEqual(plain(r.wholeChanges.changes), expected.changes);
            assert.equal(r.wholeChanges.state.fold.messages, expected.messages);
            assert.equal(r.summary.messages, expected.messages);
          }),
          { numRuns: 150 },
        );
      });
    });
  }

  it("finds what `changes` reads (file_changes_read.ts, every line parsed)", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      await fc.assert(
        fc.asyncProperty(files, async ({ bytes }) => {
          await writeFile(path, bytes);
          const r = await scanFileWithChanges(path);
          const st = await readFileChanges(path, { texts: false });
          assert.deepEqual(plain(r.wholeChanges.changes), st.changes);
          assert.equal(r.wholeChanges.state.fold.messages, st.messages);
        }),
        { numRuns: 150 },
      );
    });
  });

  it("resumed from the state saved at any line, gives what one scan gives", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      await fc.assert(
        fc.asyncProperty(files, fc.nat(), async ({ bytes }, cut) => {
          const ends = [0, ...[...bytes.keys()].filter((i) => bytes[i] === 0x0a).map((i) => i + 1)];
          const at = ends[cut % ends.length];
          await writeFile(path, bytes.subarray(0, at));
          const first = await scanFileWithChanges(path);
          const saved = first.changes;
          await writeFile(path, bytes);
          const rest = await scanFileWithChanges(path, {
            state: first.state,
            changes: saved.state,
          });
          const whole = await scanFileWithChanges(path);
          // The changes before the saved state's base are final: kept from the first part.
          const before = saved.changes.filter((c) => c.ordinal < saved.state.base);
          assert.deepEqual(
            [...before, ...rest.wholeChanges.changes],
            whole.wholeChanges.changes,
          );
        }),
        { numRuns: 150 },
      );
    });
  });

  it(
    "on the samples, finds what the fold over every record finds",
    { skip: samplesSkip },
    async () => {
      const dir = join(samplesHome(), "sessions/98bce8e9987b1030");
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const r = await scanFileWithChanges(path);
        const expected = reference(readFileSync(path));
        assert.deepEqual(plain(r.wholeChanges.changes), expected.changes, name);
      }
    },
  );
});
