/**
 * What `search` prints of the hits it keeps, in the form asked: each hit
 * (the first `-n N` of them; with `-C N` the messages around it), each
 * session once (`-l`), or how many (`--count`). Every hit is counted, so
 * with `-n` it can say how many more there are, with the command that shows
 * them all (stderr); with none, it says where it looked.
 *
 * @module
 */
import type { ParsedFlags } from "./args.ts";
import type { Context } from "./context.ts";
import { describeSystemError, isFileProblem } from "../base/errors.ts";
import type { MessageHit } from "../sessions/search_query.ts";
import { elsewhereHint } from "../render/shell.ts";
import { type MessagePreview, messagePreviews } from "../sessions/search_context.ts";
import { sanitizeForTerminal } from "../render/sanitize.ts";
import { allCommand, hitText, type SessionFacts, sessionText } from "./search_hits.ts";

/** What the output needs of `search`'s options. */
export interface OutputOptions {
  terms: string[];
  tools: boolean;
  all: boolean;
  tz: string;
  limit: number | null;
  /** `-l`: each session once. */
  files: boolean;
  /** `--count`: only how many. */
  count: boolean;
  /** `-C N`: the messages around each hit (null: none). */
  context: number | null;
  /** `--forks`: copies are shown, each saying whose. */
  forks: boolean;
  /** `--session REF`, as given (null: the project, or every one). */
  session: string | null;
}

/** Writes what is kept, as it comes; `finish` ends the run. */
export class SearchOutput {
  /** Hits kept. */
  hits = 0;
  /** Sessions with a hit kept, in the order met. */
  readonly sessions = new Map<string, SessionFacts>();
  /** The search stopped before it found every hit (`-n`: more than it counted). */
  partial = false;
  /** Hits or sessions written (what `-n` counts). */
  #shown = 0;
  #previews = new Map<string, Promise<MessagePreview[]>>();

  constructor(
    readonly ctx: Context,
    readonly o: OutputOptions,
    readonly flags: ParsedFlags,
    /** Called before the first write (the progress line is cleared). */
    readonly beforeWrite: () => Promise<void>,
    /** For a project without sessions: how many the other projects hold. */
    readonly elsewhere = 0,
  ) {}

  #room(): boolean {
    return this.o.limit === null || this.#shown < this.o.limit;
  }

  async #write(text: string): Promise<void> {
    if (this.#shown++ === 0) await this.beforeWrite();
    await this.ctx.stdout.write(text);
  }

  /** Takes a hit kept; `copyOf` is the session it was copied from (`--forks`), else null. */
  async add(h: MessageHit, s: SessionFacts, copyOf: string | null): Promise<void> {
    this.hits++;
    const first = !this.sessions.has(h.path);
    if (first) this.sessions.set(h.path, s);
    if (this.o.count || !this.#room()) return;
    if (this.o.files) {
      if (first) await this.#write(sessionText(this.ctx, h.path, s));
      return;
    }
    await this.#write(hitText(this.ctx, this.o, h, s, {
      copyOf: this.o.forks ? copyOf : undefined,
      context: this.o.context === null ? undefined : await this.#around(h, this.o.context),
    }));
  }

  /**
   * The messages within `n` of the hit, itself left out; none, with a
   * warning, when its file cannot be read any more (gone since it was found).
   */
  async #around(h: MessageHit, n: number): Promise<MessagePreview[]> {
    let all = this.#previews.get(h.path);
    if (all === undefined) {
      all = messagePreviews(h.path, this.ctx.stats).catch(async (err) => {
        if (!isFileProblem(err)) throw err;
        await this.ctx.warn(
          `Cannot read "${h.path}": ${
            describeSystemError(err)
          }; its hits are shown without context`,
        );
        return [];
      });
      this.#previews.set(h.path, all);
    }
    return (await all).filter((m) => m.index !== h.index && Math.abs(m.index - h.index) <= n);
  }

  /**
   * Ends the run: the count (`--count`), the line saying how many more there
   * are (`-n`), or that there is none; the exit code (0 with hits, 1 without).
   */
  async finish(): Promise<number> {
    const { ctx, o } = this;
    if (o.count) {
      await this.beforeWrite();
      await ctx.stdout.write(
        ctx.json
          ? JSON.stringify({ hits: this.hits, sessions: this.sessions.size }) + "\n"
          : `${this.hits}\n`,
      );
    } else if (this.hits === 0 && !ctx.json && !ctx.quiet) {
      await this.beforeWrite();
      await ctx.stderr.write(`${this.#noneText()}\n`);
      if (this.elsewhere > 0) {
        const words = ["search", ...this.flags.positionals, "--all", ...ctx.scopeArgs];
        await ctx.stderr.write(elsewhereHint(this.elsewhere, words));
      }
    }
    const total = o.files ? this.sessions.size : this.hits;
    if (o.limit !== null && total > o.limit && !ctx.quiet) {
      const what = o.files ? "sessions" : "hits";
      // Stopped early: what was counted is a floor, not the number.
      const of = this.partial ? `at least ${total}` : `${total}`;
      const more = this.partial ? "the rest not counted" : `${total - this.#shown} more`;
      await ctx.stderr.write(
        `zot-sessions: ${this.#shown} of ${of} ${what} shown (${more}); all of them: ${
          sanitizeForTerminal(allCommand(this.flags, ctx.scopeArgs), true)
        }\n`,
      );
    }
    return this.hits > 0 ? 0 : 1;
  }

  /** What was searched, when nothing was found. */
  #noneText(): string {
    const { o, ctx } = this;
    const where = o.session !== null
      ? `in session ${JSON.stringify(o.session)}`
      : o.all
      ? "in any project"
      : `for "${ctx.scope.cwd}"`;
    const words = o.terms.map((t) => JSON.stringify(t)).join(" and ");
    const tools = o.tools ? "" : " (tool calls and results not searched: --tools)";
    return sanitizeForTerminal(`No message ${where} holds ${words}${tools}.`, true);
  }
}
