/**
 * Tests of lib/render/redact.ts: `--redact-paths`, the home directory shown
 * as `~` in every text of a transcript, streaming.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { PathRedactor, redactPaths, RedactSink } from "../../lib/render/redact.ts";
import { JsonSink } from "../../lib/render/transcript_json.ts";

const HOME = "/home/dev";

describe("redactPaths", () => {
  const cases: [string, string][] = [
    ["/home/dev", "~"],
    ["/home/dev/", "~/"],
    ["cd /home/dev/app && ls", "cd ~/app && ls"],
    ['"cwd":"/home/dev/app"', '"cwd":"~/app"'],
    ["PATH=/bin:/home/dev/bin", "PATH=/bin:~/bin"],
    ["/home/devon/app", "/home/devon/app"],
    ["/mnt/home/dev/app", "/mnt/home/dev/app"],
    ["x/home/dev", "x/home/dev"],
    ["(/home/dev).", "(~)."],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(want)}`, () => {
      assert.equal(redactPaths(text, HOME), want);
    });
  }
  it("a home of / or none redacts nothing", () => {
    assert.equal(redactPaths("/home/dev/x", "/"), "/home/dev/x");
    assert.equal(redactPaths("/home/dev/x", ""), "/home/dev/x");
  });

  it("the same text cut anywhere gives the same result", () => {
    const piece = fc.constantFrom(HOME, "/home/de", "v", "/", "on", " ", "x", "~");
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 20 }).map((p) => p.join("")),
        fc.array(fc.nat(), { maxLength: 6 }),
        (text, cuts) => {
          const r = new PathRedactor(HOME);
          let out = "";
          let from = 0;
          for (
            const at of [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)
          ) {
            out += r.push(text.slice(from, at));
            from = at;
          }
          out += r.push(text.slice(from)) + r.end();
          assert.equal(out, redactPaths(text, HOME));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("RedactSink", () => {
  it("redacts text, arguments, reasoning, titles and the project; not image data", () => {
    const sink = new RedactSink(new JsonSink({ withData: true, terminal: false }), HOME);
    sink.meta({
      type: "meta",
      id: "x",
      cwd: "/home/dev/app",
      model: "m",
      provider: "p",
      started: "",
      version: "",
      title: "in /home/dev",
      parent: "",
      forkPoint: null,
    });
    sink.messageStart({ index: 0, role: "assistant", time: "", compaction: false });
    sink.textStart();
    sink.textChunk("see /home/d");
    sink.textChunk("ev/app/x.ts");
    sink.textEnd();
    sink.toolCall("c", "read", '{"path":"/home/dev/app/y"}', false);
    sink.reasoning("open /home/dev/z", false);
    sink.imageStart("image/png");
    sink.imageData("/home/dev+AAA");
    sink.imageEnd(3);
    sink.messageEnd();
    sink.rename("fix /home/dev/app");
    const [meta, msg, rename] = sink.take().trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(meta.cwd, "~/app");
    assert.equal(meta.title, "in ~");
    assert.deepEqual(msg.blocks, [
      { type: "text", text: "see ~/app/x.ts" },
      { type: "tool_call", id: "c", name: "read", arguments: { path: "~/app/y" } },
      { type: "reasoning", summary: "open ~/z", encrypted: false },
      { type: "image", mimeType: "image/png", data: "/home/dev+AAA", bytes: 3 },
    ]);
    assert.equal(rename.title, "fix ~/app");
  });
});
