/**
 * What each key does in `pick`, as a pure step: the state before, a key,
 * the state after and what the picker must do (filter again, resume, quit
 * with a code…). Not a verb: lib/commands/picker.ts runs the steps.
 *
 * @module
 */
import type { Key } from "../io/keys.ts";

/** What the picker's keys change. */
export interface PickState {
  query: string;
  /** Fuzzy over the sessions, or full-text over their messages (Ctrl-S). */
  mode: "sessions" | "text";
  /** Index of the selected match. */
  selected: number;
  /** Index of the first match shown. */
  top: number;
  preview: boolean;
  /** Waiting for y/N before removing the selected session. */
  confirming: boolean;
}

/** What the picker does after a key. */
export type PickCommand =
  | { kind: "draw" }
  | { kind: "filter" }
  | { kind: "quit"; code: number }
  | { kind: "resume" }
  | { kind: "copy-id" }
  | { kind: "open-page" }
  | { kind: "ask-remove" }
  | { kind: "remove" }
  | { kind: "cancel-remove" }
  | { kind: "switch-mode" };

/** The exit status of Esc and Ctrl-C, as fzf's (128 + SIGINT). */
export const QUIT_CODE = 130;

/**
 * The state `s` after `key`, with `count` matches and `page` rows shown,
 * and what to do.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pickKey } from "./pick_keys.ts";
 *
 * const s = { query: "", mode: "sessions" as const, selected: 0, top: 0, preview: true, confirming: false };
 * const typed = pickKey(s, { kind: "text", text: "pa" }, 10, 5);
 * assert.deepEqual([typed.state.query, typed.command.kind], ["pa", "filter"]);
 * const down = pickKey(s, { kind: "key", name: "ctrl-n" }, 10, 5);
 * assert.equal(down.state.selected, 1);
 * assert.deepEqual(pickKey(s, { kind: "key", name: "ctrl-c" }, 10, 5).command, { kind: "quit", code: 130 });
 * ```
 */
export function pickKey(
  s: PickState,
  key: Key,
  count: number,
  page: number,
): { state: PickState; command: PickCommand } {
  const done = (state: PickState, command: PickCommand) => ({
    state: scrolled(state, count, page),
    command,
  });
  if (s.confirming) {
    const yes = key.kind === "text" && /^[yY]$/.test(key.text);
    return done({ ...s, confirming: false }, { kind: yes ? "remove" : "cancel-remove" });
  }
  if (key.kind === "text") {
    return done({ ...s, query: s.query + key.text, selected: 0, top: 0 }, { kind: "filter" });
  }
  const move = (by: number) =>
    done({ ...s, selected: clamp(s.selected + by, count) }, { kind: "draw" });
  const edit = (query: string) =>
    query === s.query
      ? done(s, { kind: "draw" })
      : done({ ...s, query, selected: 0, top: 0 }, { kind: "filter" });
  switch (key.name) {
    case "up":
    case "ctrl-p":
    case "ctrl-k":
      return move(-1);
    case "down":
    case "ctrl-n":
    case "ctrl-j":
      return move(1);
    case "pageup":
      return move(-Math.max(1, page));
    case "pagedown":
      return move(Math.max(1, page));
    case "home":
      return move(-count);
    case "end":
      return move(count);
    case "backspace":
    case "ctrl-h":
      return edit([...s.query].slice(0, -1).join(""));
    case "ctrl-u":
      return edit("");
    case "ctrl-w":
      return edit(s.query.replace(/\S*\s*$/, ""));
    case "tab":
      return done({ ...s, preview: !s.preview }, { kind: "draw" });
    case "escape":
    case "ctrl-c":
    case "ctrl-g":
      return done(s, { kind: "quit", code: QUIT_CODE });
    case "ctrl-s":
      return done(
        { ...s, mode: s.mode === "sessions" ? "text" : "sessions", selected: 0, top: 0 },
        {
          kind: "switch-mode",
        },
      );
  }
  // The keys that act on the selected session need one.
  if (count === 0) return done(s, { kind: "draw" });
  switch (key.name) {
    case "enter":
      return done(s, { kind: "resume" });
    case "ctrl-y":
      return done(s, { kind: "copy-id" });
    case "ctrl-o":
      return done(s, { kind: "open-page" });
    case "ctrl-d":
      return done({ ...s, confirming: true }, { kind: "ask-remove" });
  }
  return done(s, { kind: "draw" });
}

/** `i` within `[0, count)` (0 when there is nothing). */
function clamp(i: number, count: number): number {
  return Math.max(0, Math.min(count - 1, i));
}

/**
 * `s` with the selection within the matches and the first row shown moved
 * so that the selection is in view (`page` rows).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scrolled } from "./pick_keys.ts";
 *
 * const s = { query: "", mode: "sessions" as const, selected: 7, top: 0, preview: true, confirming: false };
 * assert.deepEqual([scrolled(s, 10, 5).top, scrolled(s, 3, 5).selected], [3, 2]);
 * ```
 */
export function scrolled(s: PickState, count: number, page: number): PickState {
  const selected = clamp(s.selected, count);
  const rows = Math.max(1, page);
  let top = Math.min(s.top, selected);
  if (selected >= top + rows) top = selected - rows + 1;
  top = Math.max(0, Math.min(top, Math.max(0, count - rows)));
  return selected === s.selected && top === s.top ? s : { ...s, selected, top };
}
