/**
 * Headless Chromium driven over the DevTools protocol, for the browser tests
 * that must do more than load a page and dump its DOM: hear the console (CSP
 * violations are console errors), type into a page, turn scripts off,
 * switch the colour scheme and take screenshots, all in one browser launch.
 *
 * The browser is started through `spawn.ts` with a fresh profile directory
 * (removed by {@linkcode Browser.close}) and `--remote-debugging-port=0`; it
 * says where it listens on stderr ("DevTools listening on ws://…"), which
 * is the handshake. Every call has a time limit, so a browser that hangs
 * fails the test instead of stalling it. Never under libfaketime (Chromium
 * times out there).
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChildProcess, spawn } from "./spawn.ts";
import { HEADLESS_FLAGS } from "../../scripts/chromium.ts";

/** How long one protocol call may take. */
const CALL_MS = 30_000;

type Message = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  sessionId?: string;
  result?: unknown;
  error?: { message: string };
};

/** A running browser. */
export class Browser {
  #next = 1;
  #calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #listeners = new Set<(m: Message) => void>();

  private constructor(
    readonly child: ChildProcess,
    readonly socket: WebSocket,
    readonly profile: string,
  ) {
    socket.onmessage = (e) => {
      const m = JSON.parse(String(e.data)) as Message;
      if (m.id !== undefined) {
        const call = this.#calls.get(m.id);
        this.#calls.delete(m.id);
        if (m.error) call?.reject(new Error(m.error.message));
        else call?.resolve(m.result);
        return;
      }
      for (const l of this.#listeners) l(m);
    };
  }

  /** Starts `binary` headless and connects to it. */
  static async launch(binary: string): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), "zot-cdp-"));
    const child = spawn(binary, [
      ...HEADLESS_FLAGS,
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "about:blank",
    ], { env: { HOME: profile }, withoutFaketime: true, stdio: ["ignore", "ignore", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = "";
        const timer = setTimeout(
          () => reject(new Error(`no DevTools URL: ${text.slice(-500)}`)),
          CALL_MS,
        );
        child.stderr!.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.once(
          "exit",
          (code) => reject(new Error(`the browser exited (${code}): ${text.slice(-500)}`)),
        );
      });
      const socket = new WebSocket(url);
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = () => reject(new Error(`cannot connect to ${url}`));
      });
      child.stderr!.resume(); // its later log is not read: drained
      return new Browser(child, socket, profile);
    } catch (err) {
      child.kill();
      rmSync(profile, { recursive: true, force: true });
      throw err;
    }
  }

  /** Sends a protocol call (to a page when `sessionId` is given). */
  send<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#calls.delete(id);
        reject(new Error(`${method}: no answer in ${CALL_MS} ms`));
      }, CALL_MS);
      this.#calls.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.socket.send(JSON.stringify({ id, method, params, sessionId }));
    });
  }

  /** Calls `f` with every event until it returns true; resolves then. */
  waitFor(what: string, f: (m: Message) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(l);
        reject(new Error(`${what}: not seen in ${CALL_MS} ms`));
      }, CALL_MS);
      const l = (m: Message) => {
        if (!f(m)) return;
        clearTimeout(timer);
        this.#listeners.delete(l);
        resolve();
      };
      this.#listeners.add(l);
    });
  }

  /** Listens to every event (until the browser closes). */
  listen(f: (m: Message) => void): void {
    this.#listeners.add(f);
  }

  /** A new tab, 1000×800 unless told. */
  async newPage(width = 1000, height = 800): Promise<Page> {
    const { targetId } = await this.send<{ targetId: string }>("Target.createTarget", {
      url: "about:blank",
    });
    const { sessionId } = await this.send<{ sessionId: string }>("Target.attachToTarget", {
      targetId,
      flatten: true,
    });
    const page = new Page(this, sessionId);
    for (const domain of ["Page", "Runtime", "Log"]) await page.send(`${domain}.enable`);
    await page.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
    return page;
  }

  /** Ends the browser and removes its profile. */
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    await this.send("Browser.close").catch(() => this.child.kill());
    this.socket.close();
    if (this.child.exitCode === null) await exited;
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** One tab: what it loads, what its console says. */
export class Page {
  /** The console's errors, uncaught exceptions and refusals (CSP) since the page was made. */
  readonly errors: string[] = [];

  constructor(readonly browser: Browser, readonly sessionId: string) {
    browser.listen((m) => {
      if (m.sessionId !== sessionId) return;
      const p = m.params ?? {};
      if (m.method === "Log.entryAdded") {
        const e = p.entry as { level: string; text: string; url?: string };
        if (e.level === "error") this.errors.push(`${e.text} (${e.url ?? ""})`);
      } else if (m.method === "Runtime.exceptionThrown") {
        const d = p.exceptionDetails as { text: string; exception?: { description?: string } };
        this.errors.push(`${d.text} ${d.exception?.description ?? ""}`);
      } else if (
        m.method === "Runtime.consoleAPICalled" && ["error", "assert"].includes(String(p.type))
      ) {
        this.errors.push(JSON.stringify(p.args));
      }
    });
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}) {
    return this.browser.send<T>(method, params, this.sessionId);
  }

  /** Loads `url` and waits for its load event. */
  async goto(url: string): Promise<void> {
    const loaded = this.browser.waitFor(
      `load of ${url}`,
      (m) => m.sessionId === this.sessionId && m.method === "Page.loadEventFired",
    );
    const r = await this.send<{ errorText?: string }>("Page.navigate", { url });
    if (r.errorText) throw new Error(`cannot load ${url}: ${r.errorText}`);
    await loaded;
  }

  /** The value of an expression in the page (returned by value, awaited). */
  async eval<T>(expression: string): Promise<T> {
    const r = await this.send<{ result: { value: T }; exceptionDetails?: { text: string } }>(
      "Runtime.evaluate",
      { expression, returnByValue: true, awaitPromise: true },
    );
    if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** Turns the page's scripts off (or on again) from the next load. */
  scripts(on: boolean): Promise<unknown> {
    return this.send("Emulation.setScriptExecutionDisabled", { value: !on });
  }

  /** Emulates a dark (or light) system theme. */
  dark(on: boolean): Promise<unknown> {
    return this.send("Emulation.setEmulatedMedia", {
      features: [{ name: "prefers-color-scheme", value: on ? "dark" : "light" }],
    });
  }

  /** Focuses the element `selector` and types `text` into it, as a keyboard would. */
  async type(selector: string, text: string): Promise<void> {
    await this.eval(`document.querySelector(${JSON.stringify(selector)}).focus()`);
    await this.send("Input.insertText", { text });
  }

  /** A screenshot of the viewport, as PNG bytes. */
  async screenshot(): Promise<Uint8Array> {
    const { data } = await this.send<{ data: string }>("Page.captureScreenshot", { format: "png" });
    return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  }
}
