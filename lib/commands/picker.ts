/**
 * The session picker: a full-screen list on the terminal (`/dev/tty`) of
 * the sessions `ls` would list, filtered as one types, with a preview, and
 * keys that resume, print, open, remove. `pick` is this; `resume` with no
 * session on a terminal can be too ({@linkcode runPicker}). Not a verb.
 *
 * The pieces: the keys are read by lib/io/keys.ts and acted on by
 * pick_keys.ts, the sessions are loaded and filtered (lib/sessions/fuzzy.ts)
 * by pick_list.ts (or `search` in full-text mode), the rows and the frame are
 * drawn by lib/render/pick_rows.ts, pick_frame.ts and screen.ts on the
 * terminal of lib/io/tty.ts; the preview is pick_preview.ts, the actions
 * pick_actions.ts.
 *
 * @module
 */
import { UsageError } from "../base/errors.ts";
import type { Context } from "./context.ts";
import { colorMode } from "./context.ts";
import type { ParsedFlags } from "./args.ts";
import type { SessionInfo } from "../sessions/info.ts";
import { checkHomes } from "../sessions/scope.ts";
import {
  NoTerminalError,
  openTerminal,
  SIGNAL_NUMBERS,
  type Terminal,
  type TerminalEvent,
} from "../io/tty.ts";
import type { Key } from "../io/keys.ts";
import { type Palette, palette, useColor } from "../render/color.ts";
import { formatProject } from "../render/format.ts";
import { type RowLayout, rowLayout, sessionRow } from "../render/pick_rows.ts";
import { frameHeights, pickFrame } from "../render/pick_frame.ts";
import { ScreenPainter } from "../render/screen.ts";
import { pickKey, type PickState, scrolled } from "./pick_keys.ts";
import { type Preview, PreviewCache, sessionPreview } from "./pick_preview.ts";
import { timeZoneFlag } from "./zone_flag.ts";
import { resumeFile } from "./resume_file.ts";
import {
  askRemove,
  type Entry,
  fileOf,
  openPage,
  removeChosen,
  TextSearch,
} from "./pick_actions.ts";
import { PickList, untilListed } from "./pick_list.ts";

/** What the picker is asked for. */
export interface PickOptions {
  /** Every project's sessions, not only this project's. */
  all: boolean;
  /** The query it starts with. */
  query: string;
  /** Enter prints the session's path instead of resuming it. */
  print: boolean;
}

/**
 * Runs the picker until a session is chosen or it is left; resolves to the
 * exit code: 0 when a session was chosen (printed, its id printed, or zot's
 * code when resumed), 130 on Esc and Ctrl-C (as fzf), 128+N on a signal.
 * Without a terminal it is a usage error, at once.
 */
export async function runPicker(ctx: Context, o: PickOptions, flags: ParsedFlags): Promise<number> {
  // Flags first, then the terminal: a usage error never waits.
  const p = palette(useColor({ isTTY: true, env: ctx.env, mode: colorMode(flags.values) }));
  await checkHomes(ctx.scope);
  const events: TerminalEvent[] = [];
  let wake: (() => void) | null = null;
  const post = (e: TerminalEvent | null) => {
    if (e) events.push(e);
    wake?.();
  };
  let term: Terminal;
  try {
    term = openTerminal(post);
  } catch (err) {
    if (!(err instanceof NoTerminalError)) throw err;
    throw new UsageError(
      `Cannot pick a session: no terminal (${err.message})`,
      `pick draws on the terminal; without one, list with "zot-sessions ls" and resume with "zot-sessions resume ID"`,
    );
  }
  const warnings: string[] = [];
  try {
    return await pickOn(term, ctx, o, p, warnings, () => {
      if (events.length > 0) return Promise.resolve(events.shift()!);
      return new Promise<TerminalEvent | null>((resolve) => {
        wake = () => {
          wake = null;
          resolve(events.shift() ?? null);
        };
      });
    }, () => post(null));
  } finally {
    term.close();
    for (const w of warnings) await ctx.warn(w);
  }
}

/** The picker on an open terminal; `next` waits for an event (null: something of its own changed). */
async function pickOn(
  term: Terminal,
  ctx: Context,
  o: PickOptions,
  p: Palette,
  warnings: string[],
  next: () => Promise<TerminalEvent | null>,
  poke: () => void,
): Promise<number> {
  const painter = new ScreenPainter();
  const scopeLabel = o.all ? "all projects" : formatProject(ctx.scope.cwd, ctx.userHome);
  const draw = (content: Omit<Parameters<typeof pickFrame>[0], "width" | "height" | "palette">) => {
    const frame = pickFrame({ ...content, width: term.columns, height: term.rows, palette: p });
    term.write(painter.paint(frame.lines, frame.cursor));
  };
  const emptyLayout = rowLayout([], term.columns, o.all);
  draw({
    prompt: "> ",
    query: o.query,
    scope: scopeLabel,
    counter: "loading…",
    rows: [],
    layout: emptyLayout,
    selected: -1,
    empty: "",
    preview: null,
    status: "",
  });
  // The newest sessions first, the whole list in the background (pick_list.ts).
  const firstPage = frameHeights(term.rows, false).list;
  const sessions = await PickList.start(ctx, o.all, firstPage, o.query, poke);
  let state: PickState = {
    query: o.query,
    mode: "sessions",
    selected: 0,
    top: 0,
    preview: true,
    confirming: false,
  };
  let status = "";
  const text = new TextSearch(ctx, o.all, poke);
  text.sessions(sessions.entries.map((e) => e.session));
  /** Takes in the whole list, keeping the selection; true once it is in. */
  const absorb = (): boolean => {
    if (sessions.loaded) return true;
    if (!sessions.arrived) return false;
    const chosen = current()[state.selected]?.session.path;
    const at = sessions.take(state.query, warnings, chosen);
    text.sessions(sessions.entries.map((e) => e.session));
    if (state.mode === "sessions" && at >= 0) state = { ...state, selected: at };
    layout = null;
    return true;
  };
  // Column widths from every row, kept until the width or the rows change.
  let layout: { key: string; layout: RowLayout } | null = null;
  const layoutFor = (entries: Entry[], key: string) => {
    const k = `${key}:${term.columns}`;
    if (layout?.key !== k) {
      layout = {
        key: k,
        layout: rowLayout(entries.map((e) => e.row), term.columns, o.all),
      };
    }
    return layout.layout;
  };
  let tz: string | null = null;
  const previews = new Map<string, Preview | "loading">();
  const previewCache = new PreviewCache();
  const previewOf = (s: SessionInfo): Preview | null => {
    const known = previews.get(s.path);
    if (known !== undefined) return known === "loading" ? null : known;
    previews.set(s.path, "loading");
    tz ??= timeZoneFlag({ values: {}, positionals: [] }, ctx.env);
    sessionPreview(fileOf(s), ctx.scope.source, tz, ctx.stats).then((preview) => {
      previews.set(s.path, preview);
      poke();
    });
    return null;
  };
  const current = () => (state.mode === "text" ? text.entries(sessionRow, ctx) : sessions.matches);
  const redraw = () => {
    const list = current();
    const heights = frameHeights(term.rows, state.preview);
    state = scrolled(state, list.length, heights.list);
    const chosen = list[state.selected]?.session;
    let preview = null;
    if (heights.preview > 0 && chosen) {
      const loaded = previewOf(chosen);
      preview = {
        title: chosen.shortId,
        lines: loaded === null
          ? ["loading…"]
          : previewCache.lines(chosen.path, loaded, heights.preview, term.columns),
      };
    } else if (heights.preview > 0) {
      preview = { title: "", lines: [] };
    }
    draw({
      prompt: state.mode === "text" ? "search> " : "> ",
      query: state.query,
      scope: scopeLabel,
      counter: state.mode === "text" ? text.counter() : sessions.counter(),
      rows: list.slice(state.top, state.top + heights.list).map((e) => e.row),
      layout: layoutFor(
        list,
        state.mode === "text" ? `text${text.generation}` : `s${sessions.entries.length}`,
      ),
      selected: list.length === 0 ? -1 : state.selected - state.top,
      empty: state.mode === "text" ? text.emptyMessage(state.query) : "no session matches",
      preview,
      status,
    });
    return list.length;
  };
  if (sessions.entries.length === 0) {
    // Nothing to show yet: the whole list says whether there is anything.
    const left = await untilListed(absorb, next);
    if (left !== null) return left;
  }
  redraw();
  for (;;) {
    const event = await next();
    if (event === null) {
      absorb();
      redraw();
      continue;
    }
    if (event.kind === "resize") {
      painter.reset();
      redraw();
      continue;
    }
    if (event.kind === "signal") return 128 + SIGNAL_NUMBERS[event.signal];
    for (const key of event.keys) {
      const outcome = await onKey(key);
      if (outcome !== null) return outcome;
    }
    redraw();
  }

  /** Acts on one key; a number ends the picker with that code. */
  async function onKey(key: Key): Promise<number | null> {
    const list = current();
    const heights = frameHeights(term.rows, state.preview);
    const step = pickKey(state, key, list.length, heights.list);
    state = step.state;
    const chosen = list[state.selected]?.session;
    if (step.command.kind !== "draw") status = "";
    switch (step.command.kind) {
      case "filter":
        if (state.mode === "text") text.ask(state.query);
        else sessions.filter(state.query);
        return null;
      case "switch-mode":
        if (state.mode === "text") text.ask(state.query);
        else sessions.filter(state.query);
        layout = null;
        return null;
      case "quit":
        return step.command.code;
      case "resume":
        term.close();
        if (o.print) {
          await ctx.stdout.write(chosen!.path + "\n");
          return 0;
        }
        return await resumeFile(ctx, fileOf(chosen!), false);
      case "copy-id":
        term.close();
        await ctx.stdout.write(chosen!.id + "\n");
        return 0;
      case "open-page":
        status = "writing the page…";
        redraw();
        status = await openPage(ctx, chosen!);
        return null;
      case "ask-remove":
        status = await askRemove(ctx, chosen!, p);
        return null;
      case "cancel-remove":
        status = "Kept it";
        return null;
      case "remove": {
        const done = await removeChosen(ctx, chosen!);
        status = done.message;
        if (done.gone) {
          sessions.remove(chosen!.path, state.query);
          text.forget(chosen!.path);
          layout = null;
        }
        return null;
      }
    }
    return null;
  }
}
