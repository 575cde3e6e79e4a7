/**
 * Tests of lib/render/secret_sink.ts: `--redact-secrets` as a sink. Every
 * text of a transcript is checked (prompts, replies, reasoning, tool
 * arguments and output, titles), in order, with secretlint; a text in
 * pieces of any size is checked in windows that overlap, and what it holds
 * stays bounded; image data passes as it is.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { redactSecretsIn, SecretSink, SecretTally } from "../../lib/render/secret_sink.ts";
import { type FindSecrets, findSecrets } from "../../lib/render/secret_scan.ts";
import { JsonSink } from "../../lib/render/transcript_json.ts";
import type { BufferedSink } from "../../lib/render/transcript.ts";
import { drain } from "../../lib/render/transcript.ts";
import { TranscriptEmitter } from "../../lib/transcript/emitter.ts";
import type { MessageRecord, SessionRecord } from "../../lib/format/records.ts";
import { FAKE_SECRETS, fakePrivateKey } from "../helpers/fake_secrets.ts";

const T = "2026-10-01T09:00:00Z";

/** A transcript with `say(x)` in every place a text can be. */
function records(say: (i: number) => string): SessionRecord[] {
  const message = (role: string, content: MessageRecord["content"]): MessageRecord => ({
    type: "message",
    role,
    time: T,
    meta: {},
    content,
  });
  return [
    { type: "rename", title: say(0) },
    message("user", [{ type: "text", text: say(1) }]),
    message("assistant", [
      { type: "reasoning", id: "r1", summary: say(2), encrypted: "opaque" },
      { type: "text", text: say(3) },
      { type: "tool_call", id: "c1", name: "bash", arguments: { command: say(4), n: 1 } },
    ]),
    message("tool", [{
      type: "tool_result",
      callId: "c1",
      isError: false,
      content: [{ type: "text", text: say(5) }, {
        type: "image",
        mimeType: "image/png",
        data: "iVBORw0KGgo=",
      }],
    }]),
  ];
}

/** What `sink` gives for the records, drained after each as `show` does. */
async function emitted(sink: BufferedSink, rs: SessionRecord[]): Promise<string> {
  const emitter = new TranscriptEmitter(sink);
  let out = "";
  for (const r of rs) {
    emitter.record(r);
    out += await drain(sink);
  }
  emitter.end();
  return out + await drain(sink);
}

const json = () => new JsonSink({ withData: true, terminal: false });

describe("SecretSink", () => {
  for (const f of FAKE_SECRETS) {
    it(`${f.kind}: taken out of every place, and counted`, async () => {
      const tally = new SecretTally();
      const got = await emitted(
        new SecretSink(json(), findSecrets, tally),
        records((i) => `(${i}) ${f.text} ok`),
      );
      const want = await emitted(json(), records((i) => `(${i}) ${f.redacted} ok`));
      assert.equal(got, want);
      assert.ok(!got.includes(JSON.stringify(f.secret).slice(1, -1)));
      assert.equal(tally.summary(), `redacted 6 secrets: 6 ${f.kind}`);
    });
  }

  it("changes nothing where there is no secret; image data passes as it is", async () => {
    const say = (i: number) => `step ${i}: sha 0e19291ec8414742bbcc90199e65f26e, fine`;
    const tally = new SecretTally();
    const got = await emitted(new SecretSink(json(), findSecrets, tally), records(say));
    assert.equal(got, await emitted(json(), records(say)));
    assert.ok(got.includes('"data":"iVBORw0KGgo="'));
    assert.equal(tally.summary(), null);
  });

  it("holds what it was given until settled at the end, or when enough has come", async () => {
    const inner = json();
    const sink = new SecretSink(inner, findSecrets, new SecretTally(), {
      window: 1000,
      overlap: 300,
      batch: 100,
    });
    sink.rename("short");
    await sink.settle();
    assert.equal(sink.take(), "", "under the batch: held");
    sink.rename("x".repeat(100));
    await sink.settle();
    assert.equal(sink.take().split("\n").length - 1, 2, "the batch reached: both passed on");
    sink.rename("last");
    sink.end();
    assert.equal(sink.take(), "", "nothing before settle()");
    await sink.settle();
    assert.match(sink.take(), /"last"/);
  });

  it("image data counts toward the batch: a long image is not held whole", async () => {
    const sink = new SecretSink(json(), findSecrets, new SecretTally(), {
      window: 1000,
      overlap: 300,
      batch: 5000,
    });
    sink.messageStart({ index: 0, role: "user", time: T, compaction: false });
    sink.imageStart("image/png");
    for (let i = 0; i < 3; i++) sink.imageData("A".repeat(2000));
    await sink.settle();
    assert.equal(sink.take().match(/A/g)?.length, 6000);
  });
});

describe("SecretSink: a text in pieces", () => {
  const sizes = { window: 2000, overlap: 1000, batch: 2000 };
  const key = fakePrivateKey(12); // about 800 characters: under the overlap
  const secrets = [...FAKE_SECRETS.map((f) => f.text), key];

  /** The text block as received in `pieces`, settled after each. */
  async function streamed(
    pieces: string[],
    find: FindSecrets,
    tally = new SecretTally(),
  ): Promise<string> {
    const inner = json();
    const sink = new SecretSink(inner, find, tally, sizes);
    sink.messageStart({ index: 0, role: "tool", time: T, compaction: false });
    sink.textStart();
    let out = "";
    for (const p of pieces) {
      sink.textChunk(p);
      out += await drain(sink);
    }
    sink.textEnd();
    sink.messageEnd();
    sink.end();
    out += await drain(sink);
    return JSON.parse(out).blocks.map((b: { text: string }) => b.text).join("");
  }

  it("cut anywhere, gives what the whole text gives, every secret taken out", async () => {
    const filler = fc.stringMatching(/^[a-z .\n]{0,900}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(filler, fc.nat(secrets.length - 1)), { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        async (parts, cuts) => {
          const text = parts.map(([f, k]) => `${f}\n${secrets[k]}\n`).join("");
          const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const pieces = [0, ...at].map((a, i) => text.slice(a, [...at, text.length][i]));
          const whole = new SecretTally();
          const want = await redactSecretsIn(text, findSecrets, whole);
          const tally = new SecretTally();
          assert.equal(await streamed(pieces, findSecrets, tally), want);
          assert.equal(tally.total, parts.length);
          assert.equal(whole.total, parts.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a secret cut by the end of what came when a window is checked is seen whole", async () => {
    for (const f of FAKE_SECRETS) {
      for (const into of [1, Math.floor(f.text.length / 2), f.text.length - 1]) {
        // The first window is checked when the first piece has come: it
        // ends `into` characters into the secret.
        const before = "y".repeat(sizes.window - into - 1) + " ";
        const text = before + f.text + " " + "z".repeat(sizes.window);
        const pieces = [text.slice(0, sizes.window), text.slice(sizes.window)];
        const got = await streamed(pieces, findSecrets);
        assert.equal(
          got,
          `${before}${f.redacted} ${"z".repeat(sizes.window)}`,
          `${f.kind} ${into}`,
        );
      }
    }
  });

  it("a secret at the place a window stops passing text on: its name before, its value after", async () => {
    for (const f of FAKE_SECRETS) {
      const at = f.text.length - f.secret.length; // where the secret starts in its text
      for (const shift of [-1, 0, 1]) {
        // The first window passes on its first (window - overlap) characters.
        const before = "y".repeat(sizes.window - sizes.overlap - at + shift - 1) + " ";
        const text = before + f.text + " " + "z".repeat(2 * sizes.window);
        const pieces = [text.slice(0, sizes.window), text.slice(sizes.window)];
        const got = await streamed(pieces, findSecrets);
        assert.equal(
          got,
          `${before}${f.redacted} ${"z".repeat(2 * sizes.window)}`,
          `${f.kind} ${shift}`,
        );
      }
    }
  });

  it("holds a bounded amount: each check sees at most a window and a piece", async () => {
    let longest = 0;
    const find: FindSecrets = (texts) => {
      for (const t of texts) longest = Math.max(longest, t.length);
      return findSecrets(texts);
    };
    const piece = "abc def\n".repeat(64); // 512 characters
    const got = await streamed(Array(400).fill(piece), find);
    assert.equal(got.length, piece.length * 400);
    assert.ok(longest <= sizes.window + piece.length + 256, `${longest}`);
  });
});
