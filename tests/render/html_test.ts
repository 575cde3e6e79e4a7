/**
 * Tests of lib/render/html.ts: `HtmlSink`, the page of `show --html`. That
 * nothing a transcript holds becomes markup (a property over any events with
 * any strings, hostile ones mixed in), and what the page shows: one element
 * per message with its role and anchor, folds, images as `data:` URIs or
 * placeholders, the table of contents, each turn's cost; and that long
 * results and images stream instead of being held.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { type HtmlOptions, HtmlSink } from "../../lib/render/html.ts";
import { RESULT_HOLD } from "../../lib/render/html_result.ts";
import { type Usage } from "../../lib/base/counters.ts";
import { markupProblems } from "../helpers/html_check.ts";

const HEADER = {
  title: "A session",
  facts: [["Model", "gpt-5"]] as [string, string][],
  generator: "t",
};
const T = "2026-10-01T12:00:00Z";

function sink(o: Partial<HtmlOptions> = {}): HtmlSink {
  return new HtmlSink({
    header: HEADER,
    full: false,
    usage: true,
    tz: "UTC",
    maxImageBytes: null,
    ...o,
  });
}

/** Drives a sink; `body` runs between the page's start and its end. */
function page(body: (s: HtmlSink) => void, o: Partial<HtmlOptions> = {}): string {
  const s = sink(o);
  let out = s.take();
  body(s);
  out += s.take();
  s.finish();
  return out + s.take();
}

function message(s: HtmlSink, index: number, role: string, blocks: () => void): void {
  s.messageStart({ index, role, time: T, compaction: false });
  blocks();
  s.messageEnd();
}

function text(s: HtmlSink, t: string): void {
  s.textStart();
  s.textChunk(t);
  s.textEnd();
}

function result(s: HtmlSink, callId: string, t: string, isError = false): void {
  s.resultStart(callId, isError);
  text(s, t);
  s.resultEnd(isError);
}

const usage = (cost: number): Usage => ({
  inputTokens: 100,
  outputTokens: 20,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: cost,
});

// ---------------------------------------------------------------------------

/** Pieces of text that would be markup, script, a link or CSS if let through. */
const HOSTILE = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '"><a href="javascript:alert(1)">x</a>',
  "javascript:alert(1)",
  "</style><style>body{display:none}</style>",
  "</pre></details></article>",
  "<!--",
  "]]>",
  "&amp;",
  "&#60;script&#62;",
  "```",
  "~~~",
  "`",
  "**",
  "\n",
  "\x1b]0;title\x07",
  "\u202e",
  '" onload="x',
  "' onclick='x",
  "data:text/html,<b>",
  "/home/dev/secret",
];

const hostile = fc.array(
  fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: "binary", maxLength: 12 })),
  { maxLength: 6 },
).map((parts) => parts.join(""));

const block = fc.oneof(
  fc.record({ t: fc.constant("text" as const), chunks: fc.array(hostile, { maxLength: 3 }) }),
  fc.record({
    t: fc.constant("call" as const),
    id: hostile,
    name: hostile,
    args: fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), hostile),
    cut: fc.boolean(),
  }),
  fc.record({
    t: fc.constant("result" as const),
    id: hostile,
    isError: fc.boolean(),
    texts: fc.array(hostile, { maxLength: 3 }),
  }),
  fc.record({
    t: fc.constant("image" as const),
    mime: fc.oneof(fc.constantFrom("image/png", "image/svg+xml", "text/html"), hostile),
    data: fc.array(fc.oneof(fc.base64String(), hostile), { maxLength: 3 }),
  }),
  fc.record({ t: fc.constant("reasoning" as const), summary: hostile, encrypted: fc.boolean() }),
);

const event = fc.oneof(
  fc.record({
    t: fc.constant("message" as const),
    role: fc.oneof(fc.constantFrom("user", "assistant", "tool"), hostile),
    time: fc.oneof(fc.constant(T), hostile),
    compaction: fc.boolean(),
    blocks: fc.array(block, { maxLength: 4 }),
  }),
  fc.record({ t: fc.constant("meta" as const), model: hostile, provider: hostile }),
  fc.record({ t: fc.constant("rename" as const), title: hostile }),
  fc.record({ t: fc.constant("skipped" as const), reason: hostile }),
  fc.record({ t: fc.constant("usage" as const), cost: fc.double({ min: 0, max: 5, noNaN: true }) }),
);

type Ev = typeof event extends fc.Arbitrary<infer E> ? E : never;

function feed(s: HtmlSink, events: Ev[]): void {
  let index = 0;
  for (const e of events) {
    if (e.t === "meta") {
      s.meta({
        type: "meta",
        id: "x",
        cwd: "",
        model: e.model,
        provider: e.provider,
        started: T,
        version: "",
        title: "",
        parent: "",
        forkPoint: null,
      });
    } else if (e.t === "rename") s.rename(e.title);
    else if (e.t === "skipped") s.skipped(3, e.reason, 2);
    else if (e.t === "usage") s.usage(usage(e.cost), usage(e.cost));
    else {
      s.messageStart({ index: index++, role: e.role, time: e.time, compaction: e.compaction });
      for (const b of e.blocks) {
        if (b.t === "text") {
          s.textStart();
          for (const c of b.chunks) s.textChunk(c);
          s.textEnd();
        } else if (b.t === "call") s.toolCall(b.id, b.name, b.args, b.cut);
        else if (b.t === "result") {
          s.resultStart(b.id, null);
          for (const t of b.texts) text(s, t);
          s.resultEnd(b.isError);
        } else if (b.t === "image") {
          s.imageStart(b.mime);
          for (const d of b.data) s.imageData(d);
          s.imageEnd(b.data.join("").length);
        } else s.reasoning(b.summary, b.encrypted);
      }
      s.messageEnd();
    }
  }
}

describe("HtmlSink: nothing from a transcript becomes markup", () => {
  it("any events with any strings give only the renderer's tags, attributes and links", () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 8 }),
        hostile,
        fc.boolean(),
        fc.constantFrom(null, 0, 10, 1000),
        (events, title, full, maxImageBytes) => {
          const header = { title, facts: [[title, title]] as [string, string][], generator: title };
          const html = page((s) => feed(s, events), { header, full, maxImageBytes });
          assert.deepEqual(markupProblems(html), []);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("hostile text shows as the text it is", () => {
    const html = page((s) => message(s, 0, "user", () => text(s, HOSTILE.slice(0, 5).join(" "))));
    assert.deepEqual(markupProblems(html), []);
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;"));
    assert.ok(html.includes("&lt;/style&gt;&lt;style&gt;"));
  });

  it("the checker finds markup that was let through", () => {
    // The property above is only as good as this check.
    for (const bad of [HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[4], "a & b", '<b class="x">']) {
      const html = page((s) => message(s, 0, "user", () => text(s, "x"))).replace(
        "x</div>",
        `${bad}</div>`,
      );
      assert.notDeepEqual(markupProblems(html), [], bad);
    }
  });
});

describe("HtmlSink: what the page shows", () => {
  it("one article per message with its role and its anchor; times link to it", () => {
    const html = page((s) => {
      message(s, 0, "user", () => text(s, "hi"));
      message(s, 1, "assistant", () => text(s, "hello"));
      message(s, 14, "tool", () => result(s, "c", "ok"));
    });
    const articles = [
      ...html.matchAll(/<article class="msg (\w+)" id="(m-\d+)" data-role="(\w+)">/g),
    ];
    assert.deepEqual(articles.map((m) => [m[1], m[2], m[3]]), [
      ["user", "m-0", "user"],
      ["assistant", "m-1", "assistant"],
      ["tool", "m-14", "tool"],
    ]);
    assert.ok(html.includes('<a class="time" href="#m-14">'));
  });

  it("a result goes under its call, linked to the call's message; long ones are folded", () => {
    const short = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const long = short + "\nline 20";
    const html = page((s) => {
      message(s, 3, "assistant", () => s.toolCall("c1", "bash", '{"command":"ls"}', false));
      message(s, 4, "tool", () => {
        result(s, "c1", short);
        result(s, "c1", long, true);
      });
    });
    assert.ok(
      html.includes(
        '<details class="result" open><summary><a class="tool" href="#m-3">bash</a><span class="n"> · 20 lines</span>',
      ),
    );
    assert.ok(
      html.includes(
        '<details class="result error"><summary><a class="tool" href="#m-3">bash</a><span class="n"> · 21 lines · error</span>',
      ),
    );
  });

  it("--full opens every fold", () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n");
    const html = page((s) => message(s, 0, "tool", () => result(s, "c", long)), { full: true });
    assert.ok(html.includes('<details class="result" open>'));
  });

  it("a result longer than the hold streams, folded, instead of being held", () => {
    const s = sink();
    s.take();
    s.messageStart({ index: 0, role: "tool", time: T, compaction: false });
    s.resultStart("c", false);
    s.textStart();
    const chunk = "x".repeat(63) + "\n";
    let taken = 0;
    for (let fed = 0; fed < 3 * RESULT_HOLD; fed += 1024 * chunk.length) {
      s.textChunk(chunk.repeat(1024));
      taken += s.take().length;
    }
    // All but under a hold's worth has gone out already.
    assert.ok(taken > 2 * RESULT_HOLD, `only ${taken} characters out`);
    s.textEnd();
    s.resultEnd(true);
    const end = s.take();
    assert.ok(end.includes('</pre></details><div class="mark">✗ error</div>'));
  });

  it("image data streams into a data: URI as it comes", () => {
    const s = sink();
    s.take();
    s.messageStart({ index: 0, role: "user", time: T, compaction: false });
    s.take();
    s.imageStart("image/png");
    s.imageData("iVBORw0KGgo");
    assert.equal(s.take(), '<figure class="image"><img src="data:image/png;base64,iVBORw0KGgo');
    s.imageData('AAAA"><script>');
    assert.equal(s.take(), "AAAAscript");
    s.imageEnd(11);
    assert.equal(
      s.take(),
      '" alt="image/png · 11 B"><figcaption>image/png · 11 B</figcaption></figure>\n',
    );
  });

  it("--max-image-bytes: a bigger image is a placeholder with its size, a smaller one is shown", () => {
    const html = page((s) =>
      message(s, 0, "user", () => {
        for (const [data, bytes] of [["QUJD", 3], ["QUJDREVGR0g=", 8]] as const) {
          s.imageStart("image/png");
          for (const c of data.match(/.{1,4}/g)!) s.imageData(c);
          s.imageEnd(bytes);
        }
      }), { maxImageBytes: 5 });
    assert.ok(html.includes('<img src="data:image/png;base64,QUJD" alt="image/png · 3 B">'));
    assert.ok(html.includes("[image/png · 8 B: not shown: larger than --max-image-bytes (5 B)]"));
    assert.equal(html.match(/<img /g)?.length, 1);
  });

  it("an image of a type a page should not show (SVG, HTML) is a placeholder", () => {
    const html = page((s) =>
      message(s, 0, "user", () => {
        s.imageStart("image/svg+xml");
        s.imageData("PHN2Zy8+");
        s.imageEnd(6);
      })
    );
    assert.ok(!html.includes("<img"));
    assert.ok(html.includes("[image/svg+xml · 6 B: not shown: not an image type a page shows]"));
  });

  it("reasoning is folded; encrypted reasoning is only named", () => {
    const html = page((s) =>
      message(s, 0, "assistant", () => {
        s.reasoning("thinking <hard>", false);
        s.reasoning("", true);
      })
    );
    assert.ok(
      html.includes(
        '<details class="reasoning"><summary>Reasoning</summary><div class="text">thinking &lt;hard&gt;</div></details>',
      ),
    );
    assert.ok(html.includes('<div class="encrypted">reasoning (encrypted)</div>'));
  });

  it("each assistant turn shows its cost; rows before one reply add up", () => {
    const html = page((s) => {
      s.usage(usage(0.02), usage(0.02));
      s.usage(usage(0.03), usage(0.05));
      message(s, 0, "assistant", () => text(s, "ok"));
    });
    assert.ok(
      html.includes('<div class="cost">$0.05 this turn · 200 in · 40 out · $0.05 in all</div>'),
    );
    const none = page((s) => {
      s.usage(usage(0.02), usage(0.02));
      message(s, 0, "assistant", () => text(s, "ok"));
    }, { usage: false });
    assert.ok(!none.includes('class="cost"'));
  });

  it("model switches, renames and damaged lines are events between messages", () => {
    const meta = (model: string) => ({
      type: "meta" as const,
      id: "x",
      cwd: "",
      model,
      provider: "openai",
      started: T,
      version: "",
      title: "",
      parent: "",
      forkPoint: null,
    });
    const html = page((s) => {
      s.meta(meta("first"));
      s.meta(meta("gpt-5"));
      s.rename("new <title>");
      s.skipped(7, "not valid JSON", 3);
    });
    assert.ok(!html.includes("first"));
    assert.ok(html.includes('<div class="event">⇄ model: gpt-5 (openai)</div>'));
    assert.ok(html.includes('<div class="event">✎ renamed: &quot;new &lt;title&gt;&quot;</div>'));
    assert.ok(
      html.includes(
        '<div class="event damaged">[3 lines skipped from line 7: not valid JSON]</div>',
      ),
    );
  });

  it("the table of contents lists user prompts (not compaction summaries), last in the page", () => {
    const html = page((s) => {
      message(s, 0, "user", () => text(s, "first\n  prompt"));
      s.messageStart({ index: 1, role: "user", time: T, compaction: true });
      text(s, "summary");
      s.messageEnd();
      message(s, 2, "user", () => text(s, "x".repeat(200)));
    });
    const nav = html.slice(html.indexOf('<nav class="toc">'));
    assert.ok(html.indexOf("</main>") < html.indexOf('<nav class="toc">'));
    assert.ok(nav.includes('<a href="#m-0"><span class="when">12:00:00</span>first prompt</a>'));
    assert.ok(!nav.includes("#m-1"));
    assert.ok(
      nav.includes(`<a href="#m-2"><span class="when">12:00:00</span>${"x".repeat(89)}…</a>`),
    );
  });

  it("the table's cut of a prompt never goes through a secret's marker", () => {
    const html = page((s) => {
      message(s, 0, "user", () => text(s, "y".repeat(80) + " [redacted: Google API key] z"));
    });
    const nav = html.slice(html.indexOf('<nav class="toc">'));
    assert.ok(nav.includes(`<span class="when">12:00:00</span>${"y".repeat(80)} …</a>`), nav);
  });

  it("a prompt without text is named in the table: (image), (N images), (empty)", () => {
    const image = () => {
      s0.imageStart("image/png");
      s0.imageData("iVBORw0KGgo=");
      s0.imageEnd(8);
    };
    let s0: HtmlSink;
    const html = page((s) => {
      s0 = s;
      message(s, 0, "user", image);
      message(s, 1, "user", () => (image(), image()));
      message(s, 2, "user", () => {});
      // An image in a tool result is not the prompt's.
      message(s, 3, "user", () => text(s, "with text"));
      message(s, 4, "tool", () => {
        s.resultStart("c", false);
        image();
        s.resultEnd(false);
      });
    });
    const toc = [...html.matchAll(/<span class="when">12:00:00<\/span>([^<]*)<\/a>/g)].map((m) =>
      m[1]
    );
    assert.deepEqual(toc, ["(image)", "(2 images)", "(empty)", "with text"]);
  });

  it("terminal colour codes are taken out of text, results, reasoning and the table", () => {
    const red = "\x1b[1;31mFAIL\x1b[0m";
    const html = page((s) => {
      message(s, 0, "user", () => {
        // Cut inside a sequence: it is still one.
        s.textStart();
        s.textChunk(`${red} now \x1b[3`);
        s.textChunk("2mgreen\x1b[0m \x1b[2J");
        s.textEnd();
      });
      message(s, 1, "assistant", () => s.reasoning(`think ${red}`, false));
      message(s, 2, "tool", () => result(s, "c", `${red}\nok`));
    });
    assert.ok(!html.includes("\x1b"));
    assert.doesNotMatch(html, /␛\[[\d;]*m/);
    assert.ok(
      html.includes('<div class="text">FAIL now green ␛[2J</div>'),
      "other escapes stay visible",
    );
    assert.ok(html.includes("think FAIL"));
    assert.ok(html.includes("FAIL\nok"));
    assert.ok(html.includes('<span class="when">12:00:00</span>FAIL now green ␛[2J</a>'));
  });

  it("a compaction summary is folded in its message", () => {
    const html = page((s) => {
      s.messageStart({ index: 0, role: "user", time: T, compaction: true });
      text(s, "earlier");
      s.messageEnd();
    });
    assert.ok(
      html.includes(
        'summary of compacted history</span></div>\n<details class="compaction"><summary>Summary</summary><div class="text">earlier</div>\n</details>',
      ),
    );
  });

  it("output that is a diff is shown as one", () => {
    const html = page((s) =>
      message(s, 0, "tool", () => result(s, "c", " a {\n-  x: 1;\n+  x: 2;\n }"))
    );
    assert.ok(
      html.includes(
        '<pre class="out diff"> a {\n<del>-  x: 1;</del>\n<ins>+  x: 2;</ins>\n }</pre>',
      ),
    );
  });

  it("an empty result says so", () => {
    const html = page((s) =>
      message(s, 0, "tool", () => {
        s.resultStart("c", null);
        s.resultEnd(true);
      })
    );
    assert.ok(html.includes('<div class="result empty error">← call c · no output · error</div>'));
  });

  it("the page is whole: doctype first, the end last, the header escaped", () => {
    const html = page(() => {}, {
      header: { title: "<t>", facts: [["Project", "~/a&b"]], generator: "g" },
    });
    assert.ok(html.startsWith("<!DOCTYPE html>\n"));
    assert.ok(html.includes("<title>&lt;t&gt;</title>"));
    assert.ok(html.includes("<dt>Project</dt><dd>~/a&amp;b</dd>"));
    assert.ok(html.endsWith("</body>\n</html>\n"));
    assert.deepEqual(markupProblems(html), []);
  });
});
