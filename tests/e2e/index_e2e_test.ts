/**
 * The index never changes an answer (issue 10, "Done when"): on a copy of the
 * example home and of zot's samples, with a fresh cache, `ls --all --json`,
 * `cost --all --json --by session` and `--by day`, and `show --json` of the
 * session just touched print, byte for byte and with the same stderr, what
 * `--no-index` prints, after each of: a cold and a warm run, an append, a
 * partial line and its completion, a truncation, a rewrite in place (same
 * size, new mtime), a deletion, a rename, a replacement of the same name,
 * size and mtime, `gc --archive --compress`, a corrupted index file, an
 * unusable cache directory, and two runs at once. And what the index reads:
 * nothing when nothing changed, the appended bytes and a few KiB after an
 * append. Then `index` itself: its counts, `--clear`, `--rebuild`, the
 * modes of its directory and file, and the same database shared by the
 * three ways the CLI ships. A question asked again in the state (files and
 * index) in which it was last answered, leaving both as they were, is not
 * run again (see `asked`).
 *
 * One file (over 300 lines): it is the one list of changes, each a
 * step on the same home and cache.
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import {
  appendFile,
  chmod,
  chown,
  cp,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  truncate,
  utimes,
  writeFile,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { messageLine, usageLine } from "../helpers/fixtures.ts";
import { BIN, exampleWorkdir, type Run, run, RUNNERS } from "./harness.ts";
import { fileStates } from "./index_runs.ts";
import { SAMPLES, samplesHome, samplesPresent, samplesSkip } from "../helpers/samples.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";
import { needs, skipBecause } from "../helpers/skips.ts";
import { hasProgram, spawn, spawnSync } from "../helpers/spawn.ts";

// The runs are of the binary, the same whichever runner runs this file: once
// (under Deno) is enough.
const UNDER_BUN = process.versions.bun !== undefined;
/** The example home's instant; the samples' copies are given times before it. */
const NOW = EXAMPLE_NOW;
const IS_ROOT = process.getuid?.() === 0;
/** The user root runs as where it must not write anywhere (setpriv). */
const NOBODY = ["--reuid=65534", "--regid=65534", "--clear-groups"];
const DB = "index.sqlite";
/** What reading from a saved offset may cost beyond the new bytes: the two 4 KiB hashes, checked and saved again. */
const RESUME_SLACK = 16 * 1024;

/** A session as `ls --json` gives it. */
interface Listed {
  id: string;
  path: string;
  bytes: number;
}

/**
 * Runs the binary with the index in `cache` (and a pinned clock); as nobody
 * (through setpriv, from /) with `asNobody`.
 */
function zs(
  args: string[],
  cache: string,
  env: Record<string, string> = {},
  o: { asNobody?: boolean } = {},
): Run {
  const all = { ZOT_SESSIONS_NOW: NOW, ZOT_SESSIONS_CACHE: cache, ...env };
  if (!o.asNobody) return run(BIN, args, all);
  const r = spawnSync("setpriv", [...NOBODY, BIN, ...args], {
    encoding: "utf8",
    env: all,
    cwd: "/",
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same, started without waiting, so that two can run at once. */
function start(args: string[], cache: string): Promise<Run> {
  const child = spawn(BIN, args, {
    env: { ZOT_SESSIONS_NOW: NOW, ZOT_SESSIONS_CACHE: cache },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  return new Promise<Run>((res, rej) => {
    child.on("error", rej);
    child.on("close", (code) => res({ code, out, err }));
  });
}

/** The questions asked after every change. */
function questions(homes: string[], touched: string[]): string[][] {
  const h = homes.flatMap((home) => ["--home", home]);
  return [
    ["ls", "--all", "--json", ...h],
    ["cost", "--all", "--json", "--by", "session", ...h],
    ["cost", "--all", "--json", "--by", "day", ...h],
    ...touched.map((id) => ["show", "--json", id, ...h]),
  ];
}

/**
 * The pairs of runs `agree` made, by question and cache, with the state
 * (`fileStates` of the homes and the cache) they were made in and left
 * unchanged: a question asked again in that state (the same answers, before
 * a test's change, that the last test ended with) is not run again.
 */
const asked = new Map<string, { state: string; runs: [Run, Run] }>();

/** A damaged file's line-by-line warning, and the one line a later run says instead. */
const DAMAGE_LINE =
  /^zot-sessions: warning: Cannot read (?:line \d+|\d+ lines) of .*; skipped (?:the line|them)$/;
const DAMAGE_SUMMARY =
  /^zot-sessions: warning: \d+ (?:more )?sessions? ha(?:s|ve) damaged lines \(zot-sessions ls --damaged.*\)$/;

/**
 * The index's run says what the files' run says, but for damage it has
 * warned about before: that is one summary line instead of the lines
 * (issue 22, item 6: the index remembers; `--no-index` warns every time).
 */
function assertSameWarnings(viaIndex: string, direct: string, what: string): void {
  const lines = (err: string) => err.split("\n").filter((l) => l !== "");
  const rest = (err: string) =>
    lines(err).filter((l) => !DAMAGE_LINE.test(l) && !DAMAGE_SUMMARY.test(l)).join("\n");
  assert.equal(rest(viaIndex), rest(direct), what);
  const damaged = lines(direct).filter((l) => DAMAGE_LINE.test(l));
  const said = lines(viaIndex).filter((l) => DAMAGE_LINE.test(l));
  const summary = lines(viaIndex).some((l) => DAMAGE_SUMMARY.test(l));
  // Each damage is said, line by line or in the summary; nothing else.
  for (const l of said) assert.ok(damaged.includes(l), `${what}: ${l}`);
  if (said.length < damaged.length) assert.ok(summary, `${what}: the damage is not said`);
}

/**
 * Asserts that every question gets the same exit code, stdout and stderr
 * through the index in `cache` as with `--no-index` (with `warning`, when
 * given, the index's run says it once, first); returns the answers.
 */
function agree(
  homes: string[],
  cache: string,
  touched: string[],
  o: { warning?: RegExp; flags?: string[]; questions?: number; asNobody?: boolean } = {},
): string[] {
  const answers: string[] = [];
  for (const q of questions(homes, touched).slice(0, o.questions)) {
    const args = [...q, ...(o.flags ?? [])];
    const key = JSON.stringify([args, cache, o.asNobody ?? false]);
    const state = fileStates([...homes, cache]);
    const seen = asked.get(key);
    const [viaIndex, direct] = seen?.state === state
      ? seen.runs
      : [zs(args, cache, {}, o), zs([...args, "--no-index"], cache, {}, o)];
    // Only a pair that left every file and the index as they were is kept.
    if (seen?.state !== state && fileStates([...homes, cache]) === state) {
      asked.set(key, { state, runs: [viaIndex, direct] });
    }
    const what = args.join(" ");
    assert.equal(direct.code, 0, `${what}: ${direct.err}`);
    assert.equal(viaIndex.code, direct.code, `${what}: exit code (${viaIndex.err})`);
    assert.equal(viaIndex.out, direct.out, `${what}: stdout`);
    if (o.warning) {
      const [first, ...rest] = viaIndex.err.split("\n");
      assert.match(first, o.warning, `${what}: the warning`);
      assert.equal(rest.join("\n"), direct.err, `${what}: stderr after the one warning`);
    } else {
      assertSameWarnings(viaIndex.err, direct.err, `${what}: stderr`);
    }
    answers.push(direct.out);
  }
  return answers;
}

/** How many bytes of session files a run through the index read. */
function bytesRead(args: string[], cache: string): number {
  const r = zs(args, cache, { ZOT_SESSIONS_STATS: "1" });
  assert.equal(r.code, 0, r.err);
  const m = /zot-sessions: read (\d+) bytes of session files\n$/.exec(r.err);
  assert.ok(m, `no byte count in ${JSON.stringify(r.err)}`);
  return Number(m[1]);
}

/** The sessions of `home`, by path. */
function listed(home: string): Listed[] {
  const r = zs(["ls", "--all", "--json", "--home", home, "--no-index"], "/nonexistent");
  assert.equal(r.code, 0, r.err);
  return (JSON.parse(r.out) as Listed[]).sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The last `cumulative` of a file's usage lines (zeros if none). */
async function lastCumulative(path: string): Promise<Record<string, number>> {
  let last: Record<string, number> = {};
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    if (!line.startsWith('{"type":"usage"')) continue;
    try {
      last = JSON.parse(line).cumulative ?? last;
    } catch {
      // a damaged line: not the file's totals
    }
  }
  return last;
}

/** Two lines zot would append: a reply and its usage, costing more than before. */
async function moreLines(path: string, n: number): Promise<string> {
  const c = await lastCumulative(path);
  const cumulative = {
    input_tokens: (c.input_tokens ?? 0) + 100 * n,
    output_tokens: (c.output_tokens ?? 0) + 20 * n,
    cache_read_tokens: c.cache_read_tokens ?? 0,
    cache_write_tokens: c.cache_write_tokens ?? 0,
    cost_usd: (c.cost_usd ?? 0) + 0.25 * n,
  };
  return usageLine(cumulative) + "\n" +
    messageLine("assistant", `appended reply ${n}`, "2026-11-20T10:00:00.5Z") + "\n";
}

/**
 * `bytes` with one digit of the last usage line's totals changed (same
 * length, valid JSON): what a rewrite in place or a replacement changes.
 */
function changedDigit(bytes: Buffer): Buffer {
  const text = bytes.toString("latin1");
  const at = text.lastIndexOf('"cumulative":{"input_tokens":');
  assert.ok(at >= 0, "a file with usage lines");
  const i = at + '"cumulative":{"input_tokens":'.length;
  const d = text[i];
  const out = Buffer.from(bytes);
  out[i] = (d === "9" ? "8" : String(Number(d) + 1)).charCodeAt(0);
  return out;
}

/**
 * The bytes after the last newline of every session file of `home`: what a
 * warm run reads again (a last line cut short is never saved).
 */
async function unterminated(home: string): Promise<number> {
  let n = 0;
  for (const dir of await readdir(join(home, "sessions"))) {
    for (const f of await readdir(join(home, "sessions", dir))) {
      if (!f.endsWith(".jsonl")) continue;
      const bytes = await readFile(join(home, "sessions", dir, f));
      n += bytes.length - (bytes.lastIndexOf(0x0a) + 1);
    }
  }
  return n;
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

const HOMES: [string, () => string | null][] = [
  ["example", () => null],
  ["samples", () => (samplesPresent ? SAMPLES : null)],
];

for (const [name, source] of HOMES) {
  describe(`e2e: the index answers as the files do (${name} home)`, {
    skip: skipBecause(UNDER_BUN, "run once, under Deno"),
  }, () => {
    let work: Awaited<ReturnType<typeof exampleWorkdir>>;
    let home = "";
    let cache = "";
    const missing = name === "samples" && source() === null;
    // The sessions each change touches (paths change with a rename).
    let a: Listed, b: Listed, c: Listed, d: Listed, e: Listed;
    before(async () => {
      work = await exampleWorkdir();
      if (name === "example") home = work.example;
      else if (!missing) {
        home = join(work.work, "samples");
        await cp(source()!, home, { recursive: true });
        // Before the pinned clock, as the example home's are (gc keeps the future).
        for (const [i, f] of listed(home).entries()) {
          const t = new Date(Date.UTC(2026, 9, 1) + i * 86_400_000);
          await utimes(f.path, t, t);
        }
      }
      cache = join(work.work, "cache");
      if (!home) return;
      // a: grows, b: is rewritten, e: replaced (all with usage lines); c, d: the rest.
      const all = listed(home);
      const withUsage: Listed[] = [];
      for (const s of all) {
        if ((await readFile(s.path, "utf8")).includes('"type":"usage"')) withUsage.push(s);
      }
      withUsage.sort((x, y) => y.bytes - x.bytes);
      [a, b, e] = withUsage;
      [c, d] = all.filter((s) => ![a, b, e].includes(s));
    });
    after(() => work?.cleanup());
    const skip = skipBecause(missing, `zot's samples are missing (see "has its home")`);
    // Cases about the file system and concurrency, not what zot writes: the
    // example home is enough (each costs a dozen runs of the binary); zot's
    // samples are read cold, warm and after an append.
    const fsCase = skip || skipBecause(
      name === "samples",
      "a file-system case (a cut or rewritten file, deletion, rename, replacement, gc, runs at once, corrupt or unusable cache) runs on the example home",
    );

    it("has its home", { skip: name === "samples" ? samplesSkip : false }, () => {
      if (name === "samples") samplesHome(); // fails, naming the path, when they are missing
      assert.ok(!missing);
      assert.ok(a && b && c && d && e, "five sessions to change");
    });

    it("cold: the same answers; the cache is made 0700, its database 0600", { skip }, async () => {
      assert.ok(!existsSync(cache));
      agree([home], cache, [a.id, b.id]);
      assert.equal(await modeOf(cache), 0o700);
      assert.equal(await modeOf(join(cache, DB)), 0o600);
    });

    it("warm: the same answers, and ls and cost read no byte of any session", { skip }, () => {
      assert.equal(bytesRead(["ls", "--all", "--json", "--home", home], cache), 0);
      assert.equal(bytesRead(["cost", "--all", "--by", "day", "--home", home], cache), 0);
      agree([home], cache, [a.id]);
    });

    it("an append: read from where the index left off", { skip }, async () => {
      const more = await moreLines(a.path, 1);
      await appendFile(a.path, more);
      const n = bytesRead(["ls", "--all", "--json", "--home", home], cache);
      const added = Buffer.byteLength(more);
      assert.ok(n >= added && n <= added + RESUME_SLACK, `read ${n} bytes for ${added} appended`);
      agree([home], cache, [a.id]);
    });

    it("a partial last line, then its end", { skip: fsCase }, async () => {
      const line = await moreLines(a.path, 2);
      const cut = Math.floor(line.length / 3);
      await appendFile(a.path, line.slice(0, cut));
      const before = agree([home], cache, [a.id]);
      await appendFile(a.path, line.slice(cut));
      const n = bytesRead(["ls", "--all", "--json", "--home", home], cache);
      // The unterminated piece was never saved: it is read again.
      assert.ok(n >= line.length && n <= line.length + RESUME_SLACK, `read ${n} bytes`);
      assert.notDeepEqual(agree([home], cache, [a.id]), before, "the completed line counts");
    });

    it("a truncation below what the index saved", { skip: fsCase }, async () => {
      const before = agree([home], cache, [a.id]);
      await truncate(a.path, Math.floor((await stat(a.path)).size * 0.6));
      assert.notDeepEqual(agree([home], cache, [a.id]), before);
    });

    it("a rewrite in place: the same size and inode, a new mtime", { skip: fsCase }, async () => {
      const before = agree([home], cache, [b.id]);
      const s = await stat(b.path);
      const bytes = changedDigit(await readFile(b.path));
      const f = await open(b.path, "r+");
      await f.write(bytes, 0, bytes.length, 0);
      await f.close();
      await utimes(b.path, s.atime, new Date(s.mtimeMs + 1000));
      const now = await stat(b.path);
      assert.equal(now.ino, s.ino);
      assert.equal(now.size, s.size);
      assert.notDeepEqual(agree([home], cache, [b.id]), before);
    });

    it("a deletion", { skip: fsCase }, async () => {
      const before = agree([home], cache, []);
      await rm(c.path);
      assert.notDeepEqual(agree([home], cache, []), before);
    });

    it("a rename", { skip: fsCase }, async () => {
      const before = agree([home], cache, [d.id]);
      const to = join(dirname(d.path), "20200101-000000-" + basename(d.path).slice(16));
      await rename(d.path, to);
      d = { ...d, path: to };
      assert.notDeepEqual(agree([home], cache, [d.id]), before);
    });

    it(
      "a replacement: the same name, size and mtime, another inode",
      { skip: fsCase },
      async () => {
        const before = agree([home], cache, [e.id]);
        const s = await stat(e.path);
        const other = join(work.work, "replacement.jsonl");
        await writeFile(other, changedDigit(await readFile(e.path)));
        await utimes(other, s.atime, s.mtime);
        await rename(other, e.path);
        const now = await stat(e.path);
        assert.notEqual(now.ino, s.ino);
        assert.deepEqual([now.size, now.mtimeMs], [s.size, s.mtimeMs]);
        assert.notDeepEqual(agree([home], cache, [e.id]), before);
      },
    );

    it("gc --archive --compress: gc drops the rows of what it moves; the .gz read once", {
      skip: fsCase,
    }, async () => {
      // The rows of the deleted and renamed files go first.
      const swept = JSON.parse(zs(["index", "--json", "--home", home], cache).out);
      assert.equal(swept.dropped, 2);
      const before = agree([home], cache, []);
      const archive = join(work.work, "archive");
      const flags = ["--keep-last", "1", "--grace", "0", "--archive", archive, "--compress"];
      const g = zs(["gc", "--home", home, ...flags, "--yes", "--json"], cache);
      assert.equal(g.code, 0, g.err);
      const archived = (JSON.parse(g.out).sessions as { result: string }[])
        .filter((x) => x.result === "archived").length;
      assert.ok(archived > 0, g.out);
      const r = JSON.parse(zs(["index", "--json", "--home", home], cache).out);
      assert.equal(r.dropped, 0, "gc dropped the rows itself");
      assert.equal(r.files, swept.files - archived);
      assert.notDeepEqual(agree([home], cache, []), before);
      // The archive is a home too: its .gz files through the index, then not read again.
      agree([home, archive], cache, [e.id]);
      const tail = await unterminated(home);
      const both = ["--home", home, "--home", archive];
      assert.equal(bytesRead(["ls", "--all", "--json", ...both], cache), tail);
      assert.equal(bytesRead(["cost", "--all", ...both], cache), tail);
    });

    it(
      "a corrupted index file: one warning, moved aside, a new one built",
      { skip: fsCase },
      async () => {
        const db = join(cache, DB);
        const garbage = Buffer.alloc((await stat(db)).size, "garbage\n");
        await writeFile(db, garbage);
        // The first run says it; the others find the new index.
        agree([home], cache, [], {
          questions: 1,
          warning:
            /^zot-sessions: warning: Cannot read the index ".*index\.sqlite": .*; moved it to ".*index\.sqlite\.damaged-\S+" and built a new one$/,
        });
        const aside = (await readdir(cache)).filter((f) => f.startsWith(`${DB}.damaged-`));
        assert.equal(aside.length, 1);
        assert.deepEqual(await readFile(join(cache, aside[0])), garbage);
        assert.equal(await modeOf(db), 0o600);
        agree([home], cache, [a.id]);
        const ls = ["ls", "--all", "--json", "--home", home];
        assert.equal(bytesRead(ls, cache), await unterminated(home), "warm again");
      },
    );

    it(
      "a cache that cannot be made: one warning, silenced by --quiet",
      { skip: fsCase },
      async () => {
        const file = join(work.work, "not-a-directory");
        await writeFile(file, "");
        const unusable = join(file, "cache");
        const r = zs(["ls", "--all", "--json", "--home", home], unusable);
        assert.equal(r.code, 0);
        assert.equal(r.err.split("\n").filter((l) => l.includes("index")).length, 1, r.err);
        const warning =
          /^zot-sessions: warning: Cannot use the index ".*not-a-directory\/cache\/index\.sqlite": not a directory; reading the files directly$/;
        for (const [dir, flags] of [[unusable, []], [unusable, ["--quiet"]]] as const) {
          for (const q of questions([home], [a.id])) {
            const viaIndex = zs([...q, ...flags], dir);
            const direct = zs([...q, ...flags, "--no-index"], dir);
            assert.equal(viaIndex.code, direct.code);
            assert.equal(viaIndex.out, direct.out, q.join(" "));
            if (flags.length) assert.equal(viaIndex.err, direct.err, "--quiet: no warning");
            else {
              const [first, ...rest] = viaIndex.err.split("\n");
              assert.match(first, warning);
              assert.equal(rest.join("\n"), direct.err);
            }
          }
        }
        assert.ok(!existsSync(unusable));
      },
    );

    // Root writes anywhere: as root, the runs are nobody's, whose own
    // directory the cache is, and who can read the home but write nowhere.
    it("a read-only cache directory: one warning, the same answers (as nobody, under root)", {
      skip: fsCase ||
        (IS_ROOT ? needs("setpriv (util-linux), to drop root", hasProgram("setpriv")) : false),
    }, async () => {
      const ro = join(work.work, "read-only-cache");
      await mkdir(ro, { mode: 0o500 });
      if (IS_ROOT) {
        await chown(ro, 65534, 65534);
        await chmod(work.work, 0o755); // mkdtemp's 0700 would keep nobody out of the home
      }
      try {
        const asNobody = IS_ROOT;
        agree([home], ro, [a.id], {
          warning:
            /^zot-sessions: warning: Cannot use the index ".*read-only-cache\/index\.sqlite": .*; reading the files directly$/,
          asNobody,
        });
        agree([home], ro, [a.id], { flags: ["--quiet"], asNobody });
        assert.deepEqual(await readdir(ro), [], "nothing written in it");
      } finally {
        await rm(ro, { recursive: true, force: true });
      }
    });

    it("three runs at once, on an empty index and after an append: all right", {
      skip: fsCase,
    }, async () => {
      const fresh = join(work.work, "cache-two");
      const [ls, cost] = questions([home], []);
      const expect = (q: string[]) => zs([...q, "--no-index"], fresh);
      for (const change of [null, async () => appendFile(a.path, await moreLines(a.path, 3))]) {
        if (change) await change();
        const want = [expect(ls), expect(cost), expect(ls)];
        const got = await Promise.all([start(ls, fresh), start(cost, fresh), start(ls, fresh)]);
        for (const [i, g] of got.entries()) {
          assert.deepEqual({ ...g, err: "" }, { ...want[i], err: "" }, `run ${i} of three at once`);
          assertSameWarnings(g.err, want[i].err, `run ${i} of three at once: stderr`);
        }
      }
      agree([home], fresh, [a.id]);
    });
  });
}

describe(
  "e2e: zot-sessions index",
  { skip: skipBecause(UNDER_BUN, "run once, under Deno") },
  () => {
    let work: Awaited<ReturnType<typeof exampleWorkdir>>;
    let cache = "";
    before(async () => {
      work = await exampleWorkdir();
      cache = join(work.work, "cache");
    });
    after(() => work?.cleanup());
    const index = (args: string[] = []) => {
      const r = zs(["index", "--json", "--home", work.example, ...args], cache);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, "");
      return JSON.parse(r.out);
    };

    it("reports what it read and what it holds, then what changed", async () => {
      const all = listed(work.example);
      const bytes = all.reduce((n, s) => n + s.bytes, 0);
      const n = all.length;
      const first = index();
      assert.equal(first.path, join(cache, DB));
      assert.deepEqual(
        [first.files, first.bytes, first.rescanned, first.resumed, first.unchanged, first.dropped],
        [n, bytes, n, 0, 0, 0],
      );
      assert.ok(first.indexBytes > 0 && typeof first.seconds === "number");
      const again = index();
      assert.deepEqual([again.rescanned, again.resumed, again.unchanged], [0, 0, n]);
      await appendFile(all[0].path, await moreLines(all[0].path, 1));
      await rm(all[1].path);
      const after = index();
      assert.deepEqual(
        [after.files, after.rescanned, after.resumed, after.unchanged, after.dropped],
        [n - 1, 0, 1, n - 2, 1],
      );
    });

    it("counts the files of the home asked about, not of every home it has read (issue 22, 15)", async () => {
      const other = join(work.work, "other-home");
      const project = dirname(listed(work.example)[0].path);
      await cp(project, join(other, "sessions", basename(project)), { recursive: true });
      const shared = join(work.work, "cache-of-two-homes");
      const sum = (homes: string[]) => {
        const all = homes.flatMap(listed);
        return [all.length, all.reduce((n, s) => n + s.bytes, 0)];
      };
      const [n, bytes] = sum([work.example]);
      const [own, ownBytes] = sum([other]);
      assert.ok(own > 0 && own < n, `${own} sessions in the other home, ${n} in the example`);
      const json = (homes: string[]) => {
        const r = zs(["index", "--json", ...homes.flatMap((h) => ["--home", h])], shared);
        assert.equal(r.code, 0, r.err);
        return JSON.parse(r.out);
      };
      assert.deepEqual(
        [json([work.example]).files, json([other]).files, json([work.example, other]).files],
        [n, own, n + own],
      );
      const r = json([other]);
      assert.deepEqual([r.files, r.bytes, r.indexFiles], [own, ownBytes, n + own]);
      assert.equal(json([work.example, other]).bytes, bytes + ownBytes);
      const text = zs(["index", "--home", other], shared);
      assert.equal(text.code, 0, text.err);
      assert.match(text.out, new RegExp(`^Files +${own} \\(`, "m"));
      assert.match(text.out, new RegExp(`^Size +.* \\(with ${n} files of other homes\\)$`, "m"));
      const alone = zs(["index", "--home", work.example], join(work.work, "cache-of-one-home"));
      assert.match(alone.out, /^Size +[\d.]+ [kM]?B$/m);
    });

    it("--clear empties it: the next run reads every byte, and answers the same", () => {
      const cleared = index(["--clear"]);
      assert.equal(cleared.files, 0);
      const total = listed(work.example).reduce((n, s) => n + s.bytes, 0);
      assert.ok(bytesRead(["ls", "--all", "--json", "--home", work.example], cache) >= total);
      agree([work.example], cache, []);
    });

    it("--rebuild reads everything again", () => {
      const n = listed(work.example).length;
      const r = index(["--rebuild"]);
      assert.deepEqual([r.files, r.rescanned, r.unchanged], [n, n, 0]);
    });

    it("--rebuild with --clear, and index with --no-index, are usage errors", () => {
      for (const args of [["--rebuild", "--clear"], ["--no-index"]]) {
        const r = zs(["index", "--home", work.example, ...args], cache);
        assert.equal(r.code, 2, args.join(" "));
        assert.match(r.err, /^zot-sessions: Cannot /);
      }
      const r = zs(["index", "--home", work.example], cache, { ZOT_SESSIONS_NO_INDEX: "1" });
      assert.equal(r.code, 2);
    });

    it("--cache-dir names the place; --no-index and ZOT_SESSIONS_NO_INDEX=1 touch no cache", () => {
      const named = join(work.work, "named");
      const r = zs(["ls", "--all", "--home", work.example, "--cache-dir", named], cache);
      assert.equal(r.code, 0, r.err);
      assert.ok(existsSync(join(named, DB)));
      const none = join(work.work, "none");
      const args = ["ls", "--all", "--json", "--home", work.example];
      const total = listed(work.example).reduce((n, s) => n + s.bytes, 0);
      assert.ok(bytesRead([...args, "--no-index"], none) >= total);
      assert.ok(existsSync(none) === false);
      const env = zs(args, none, { ZOT_SESSIONS_NO_INDEX: "1", ZOT_SESSIONS_STATS: "1" });
      assert.equal(env.code, 0);
      assert.ok(existsSync(none) === false);
    });
  },
);

describe("e2e: one index, the three ways the CLI ships", {
  skip: skipBecause(UNDER_BUN, "run once, under Deno"),
}, () => {
  it("each runtime reads what another wrote, and resumes it", async () => {
    const work = await exampleWorkdir();
    try {
      const cache = join(work.work, "cache");
      const env = { ZOT_SESSIONS_NOW: NOW, ZOT_SESSIONS_CACHE: cache, ZOT_SESSIONS_STATS: "1" };
      const [ls] = questions([work.example], []);
      const direct = zs([...ls, "--no-index"], cache);
      const path = listed(work.example)[0].path;
      for (const [i, [name, runner]] of RUNNERS.entries()) {
        // Cold for the first, then each appends and the next resumes.
        const r = runner(ls, env);
        assert.equal(r.code, 0, `${name}: ${r.err}`);
        const want = zs([...ls, "--no-index"], cache);
        assert.equal(r.out, want.out, name);
        if (i > 0) {
          const n = Number(/read (\d+) bytes/.exec(r.err)?.[1]);
          assert.ok(n <= 2 * RESUME_SLACK, `${name} read ${n} bytes`);
        }
        await appendFile(path, await moreLines(path, i + 1));
      }
      assert.notEqual(zs(ls, cache).out, direct.out);
      agree([work.example], cache, []);
    } finally {
      await work.cleanup();
    }
  });
});
