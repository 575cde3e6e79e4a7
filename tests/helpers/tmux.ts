/**
 * A real terminal for tests of full-screen views (`pick`): a tmux server
 * of the test's own (a private socket), one window of a given size running
 * a shell script, driven with `send-keys` and read with `capture-pane`.
 * Every wait is a handshake: the screen is read again until it shows what
 * is expected (or a timeout fails the test with the screen as it was),
 * never a sleep of a guessed length.
 *
 * @module
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClockOptions, hasProgram, spawnSync } from "./spawn.ts";

/** Whether tmux is installed (Debian's `tmux`; `.ci/run` installs it). */
export const HAVE_TMUX = hasProgram("tmux");

/**
 * How many times the screen is read (about every 20 ms, plus tmux's own
 * time) before a wait fails: over 15 s.
 */
const TRIES = 750;

/** A tmux window running one script. */
export interface Tmux {
  /** The screen's text, one string per row, trailing spaces cut. */
  screen(): string;
  /** The screen with its escape sequences (colours, bold). */
  screenWithStyles(): string;
  /** Sends keys in tmux's names (`Enter`, `C-c`, `Down`, `Tab`, `Escape`). */
  keys(...names: string[]): void;
  /** Types `text` as it is. */
  type(text: string): void;
  /** Resizes the window. */
  resize(columns: number, rows: number): void;
  /** A tmux format of the pane (`#{alternate_on}`, `#{pane_dead_status}`). */
  format(f: string): string;
  /** Waits until the screen satisfies `ok` (a pattern, or a test); resolves to that screen. */
  waitFor(ok: RegExp | ((screen: string) => boolean), what?: string): Promise<string>;
  /** Kills the server and removes its directory. */
  close(): Promise<void>;
}

/**
 * Starts `script` (sh) in a new tmux server, in a window `columns` ×
 * `rows`, with the tests' environment plus `clock.env` (see spawn.ts).
 * When the script ends, the pane stays as it left it: a last `cat` waits
 * for input there. (tmux's remain-on-exit was tried: tmux 3.3a loses the
 * lines written after a program leaves the alternate screen when the pane
 * dies right after.)
 */
export async function startTmux(
  script: string,
  columns: number,
  rows: number,
  clock: ClockOptions = {},
): Promise<Tmux> {
  const dir = await mkdtemp(join(tmpdir(), "zot-tmux-"));
  const socket = join(dir, "socket");
  const file = join(dir, "run.sh");
  await writeFile(file, `${script}\nexec cat >/dev/null\n`);
  const tmux = (...args: string[]) => {
    const r = spawnSync("tmux", ["-S", socket, "-f", "/dev/null", ...args], {
      ...clock,
      env: { SHELL: "/bin/sh", TERM: "xterm-256color", ...clock.env },
      encoding: "utf8",
    });
    if (r.status !== 0) {
      throw new Error(`tmux ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
    }
    return r.stdout;
  };
  tmux("new-session", "-d", "-x", String(columns), "-y", String(rows), `sh ${file}`);
  const screen = () => tmux("capture-pane", "-p").replace(/\n+$/, "");
  const format = (f: string) => tmux("display-message", "-p", f).trim();
  const waitUntil = async <T>(probe: () => T | undefined, what: string): Promise<T> => {
    for (let i = 0; i < TRIES; i++) {
      const got = probe();
      if (got !== undefined) return got;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${what}; the screen:\n${screen()}`);
  };
  return {
    screen,
    screenWithStyles: () => tmux("capture-pane", "-p", "-e"),
    keys: (...names) => void tmux("send-keys", ...names),
    type: (text) => void tmux("send-keys", "-l", text),
    resize: (c, r) => void tmux("resize-window", "-x", String(c), "-y", String(r)),
    format,
    waitFor(ok, what) {
      const test = ok instanceof RegExp ? (s: string) => ok.test(s) : ok;
      return waitUntil(() => {
        const s = screen();
        return test(s) ? s : undefined;
      }, what ?? String(ok));
    },
    async close() {
      try {
        tmux("kill-server");
      } catch {
        // Already gone.
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
