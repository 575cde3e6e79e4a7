/**
 * Makes the README's screenshots of `show --html`: a page of one example
 * session (a fresh copy of `examples/home`), shot by headless Chromium, the
 * same browser the browser tests run; with `--site`, the index page of
 * `export --html --all` of that home instead.
 *
 * Usage (repository root):
 *
 *     deno run -A scripts/screenshot-html.ts [--session b425] [--dark]
 *       [--out docs/show-html.png] [--width 1280] [--height 1900] [--page FILE]
 *     deno run -A scripts/screenshot-html.ts --site --out docs/export-index.png
 *       --width 1000 --height 1150
 *
 * `--dark` emulates a dark system theme; `--page FILE` also keeps the page.
 * Times are shown in UTC, so the picture does not depend on the machine.
 *
 * @module
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { runCli } from "../lib/cli/run.ts";
import { memoryIO } from "../lib/io/memory_io.ts";
import { makeExampleHome } from "./make-example-home.ts";
import { findChromium, runChromium } from "./chromium.ts";

const { values } = parseArgs({
  options: {
    session: { type: "string", default: "b425" },
    site: { type: "boolean", default: false },
    out: { type: "string", default: "docs/show-html.png" },
    page: { type: "string" },
    dark: { type: "boolean", default: false },
    width: { type: "string", default: "1280" },
    height: { type: "string", default: "1900" },
  },
});

const browser = findChromium();
if (browser === null) {
  console.error(
    "screenshot-html: no Chromium found: apt-get install -y chromium (or set CHROMIUM)",
  );
  process.exit(1);
}
const work = await mkdtemp(join(tmpdir(), "zot-screenshot-"));
try {
  const home = join(work, "home");
  await makeExampleHome(home);
  const site = join(work, "site");
  const page = values.site
    ? join(site, "index.html")
    : values.page
    ? resolve(values.page)
    : join(work, "page.html");
  const io = memoryIO({ throwErrors: true });
  const args = values.site
    ? ["export", "--all", "--home", home, "--html", site, "--utc", "-q"]
    : ["show", values.session!, "--home", home, "--html", "-o", page, "--utc"];
  const code = await runCli(args, io);
  if (code !== 0) throw new Error(`${args[0]} --html failed (${code}): ${io.err()}`);
  const out = resolve(values.out!);
  await mkdir(dirname(out), { recursive: true });
  runChromium(browser, {
    url: pathToFileURL(page).href,
    mode: { screenshot: out },
    width: Number(values.width),
    height: Number(values.height),
    dark: values.dark,
  });
  const what = values.site ? "the site's index" : `${values.session} as a page`;
  console.log(`${out}: ${what}, ${values.dark ? "dark" : "light"}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
