/**
 * `help json [VERB]`: the fields of each command's JSON output, from the
 * lists written beside the code that writes it (`FieldDocs`), so that the
 * help cannot leave a field out; the man page's JSON OUTPUT section too.
 *
 * @module
 */
import { UsageError } from "../base/errors.ts";
import { SESSION_FIELDS } from "../sessions/info.ts";
import { TRANSCRIPT_BLOCK_FIELDS, TRANSCRIPT_EVENT_FIELDS } from "../render/transcript_json.ts";
import { COST_FIELDS, COST_ROW_FIELDS } from "../render/cost.ts";
import { SPEND_EVENT_FIELDS } from "../cost/events.ts";
import { GC_FIELDS, GC_SESSION_FIELDS } from "../render/gc_plan.ts";
import { INDEX_FIELDS } from "../commands/index_verb.ts";
import { EXPORT_FIELDS } from "../commands/export.ts";
import { HIT_FIELDS } from "../commands/search_hits.ts";
import { CHANGED_FILE_FIELDS } from "../render/changes.ts";
import { BLAME_FIELDS } from "../render/blame.ts";
import { STATUS_JSON_FIELDS } from "../render/statusline.ts";
import { termRows } from "../render/term_rows.ts";

/** One output's fields: a heading, then its rows. */
interface JsonPart {
  heading: string;
  fields: Record<string, string>;
}

/** What `help json` says of one output. */
interface JsonSection {
  /** The commands it is the output of (`help json VERB` picks by them). */
  verbs: string[];
  parts: JsonPart[];
  note?: string;
}

/** Every JSON output, in the help's order of the commands. */
const JSON_SECTIONS: JsonSection[] = [
  {
    verbs: ["ls"],
    parts: [{
      heading: "ls --json: an array of sessions; ls --ndjson: one session per line:",
      fields: SESSION_FIELDS,
    }],
  },
  {
    verbs: ["show", "tail"],
    parts: [
      {
        heading: "show --json, tail --json: one event per line, in file order, by its type:",
        fields: TRANSCRIPT_EVENT_FIELDS,
      },
      { heading: "The blocks of a message, by their type:", fields: TRANSCRIPT_BLOCK_FIELDS },
    ],
    note: "index counts message lines from 0, empty ones included; in tail it counts back\n" +
      "from the end: -1 is the last message when tail started.",
  },
  {
    verbs: ["export"],
    parts: [{ heading: "export --json: one object, the summary:", fields: EXPORT_FIELDS }],
  },
  {
    verbs: ["cost"],
    parts: [
      { heading: "cost --json: one object:", fields: COST_FIELDS },
      { heading: "Each of rows (total has the same fields but key):", fields: COST_ROW_FIELDS },
    ],
  },
  {
    verbs: ["cost"],
    parts: [{
      heading: "cost --events: one spend event per line (with --csv, these columns):",
      fields: SPEND_EVENT_FIELDS,
    }],
  },
  {
    verbs: ["gc"],
    parts: [
      { heading: "gc --json: the plan; with --yes, the result:", fields: GC_FIELDS },
      { heading: "Each of sessions:", fields: GC_SESSION_FIELDS },
    ],
  },
  {
    verbs: ["index"],
    parts: [{ heading: "index --json: one object:", fields: INDEX_FIELDS }],
  },
  {
    verbs: ["search"],
    parts: [{ heading: "search --json: one hit per line:", fields: HIT_FIELDS }],
  },
  {
    verbs: ["changes"],
    parts: [{ heading: "changes --json: one file per line:", fields: CHANGED_FILE_FIELDS }],
  },
  {
    verbs: ["blame"],
    parts: [{ heading: "blame --json: one change per line, newest first:", fields: BLAME_FIELDS }],
  },
  {
    verbs: ["statusline"],
    parts: [{ heading: "statusline --json: one object:", fields: STATUS_JSON_FIELDS }],
  },
];

/** The commands that write JSON, in order. */
export const JSON_VERBS: string[] = [...new Set(JSON_SECTIONS.flatMap((s) => s.verbs))];

/**
 * `help json [VERB]`: the fields of every JSON output, or of one command's.
 * A command without JSON output is a usage error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonHelp } from "./help_json.ts";
 * assert.match(jsonHelp("index"), /^index --json: one object:\n {2}path +the database file$/m);
 * assert.doesNotMatch(jsonHelp("index"), /^ls --json/m);
 * assert.throws(() => jsonHelp("resume"), /Cannot show the JSON fields of "resume"/);
 * ```
 */
export function jsonHelp(verb?: string): string {
  if (verb !== undefined && !JSON_VERBS.includes(verb)) {
    throw new UsageError(
      `Cannot show the JSON fields of "${verb}": it writes no JSON (${JSON_VERBS.join(", ")} do)`,
    );
  }
  const sections = JSON_SECTIONS.filter((s) => verb === undefined || s.verbs.includes(verb));
  const rows = sections.flatMap((s) => s.parts.flatMap((p) => Object.keys(p.fields)));
  // One column for every list, so that they read as one table.
  const column = 2 + Math.max(...rows.map((t) => t.length)) + 2;
  const body = sections.map((s) =>
    [
      ...s.parts.map((p) => `${p.heading}\n${termRows(Object.entries(p.fields), column)}`),
      ...(s.note ? [s.note] : []),
    ].join("\n\n")
  );
  return `The JSON output of each command: its fields, in the order written. Money is
in dollars, rounded to the nanodollar; times are ISO 8601.

${body.join("\n\n")}`;
}
