/**
 * A roff man page (man(7) macros) from the CLI's plain-text help: the same
 * words as `--help`, so the two cannot drift. Help text has a few shapes,
 * each turned into its macro: paragraphs (`.PP`), labels ending in a colon
 * (bold), option rows and `TERM  description` rows (`.TP`, continuation
 * lines joined), and examples (no filling). Everything is ASCII on output:
 * other characters become `\[uXXXX]`, which groff and mandoc both read.
 *
 * @module
 */

/** What the page is made of. */
export interface ManSource {
  program: string;
  version: string;
  /** One line: what the program is (NAME). */
  summary: string;
  /** The verbs: name, one-line summary, and help text (options aligned). */
  verbs: { name: string; summary: string; help: string }[];
  /** Text of further sections, by title (GLOBAL OPTIONS, EXIT STATUS, …), in help's shapes. */
  sections: [string, string][];
}

/**
 * Text for a roff input line: backslashes and dashes escaped (a dash stays
 * a dash, for copying commands), other than ASCII as `\[uXXXX]`, and a
 * leading `.` or `'` kept from being read as a request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { roffText } from "./manpage.ts";
 * assert.equal(roffText(".a-b\\c…"), "\\&.a\\-b\\ec\\[u2026]");
 * ```
 */
export function roffText(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\e";
    else if (ch === "-") out += "\\-";
    else if (code > 0x7e || code < 0x20) {
      out += `\\[u${code.toString(16).toUpperCase().padStart(4, "0")}]`;
    } else out += ch;
  }
  return /^[.']/.test(out) ? "\\&" + out : out;
}

/** An option row's flags: dashed words bold, their values italic. */
function flagsRoff(flags: string): string {
  return flags.split(" ").map((word) => {
    const comma = word.endsWith(",") ? "," : "";
    const bare = comma ? word.slice(0, -1) : word;
    const font = bare.startsWith("-") ? "B" : "I";
    return `\\f${font}${roffText(bare)}\\fR${comma}`;
  }).join(" ");
}

// Rows start at column 2 or 6; a deeper-indented line continues one.
const OPTION_ROW = /^ {1,7}(-\S*(?: \S+)*)(?: {2,}(\S.*))?$/;
const TERM_ROW = /^ {1,7}(\S+(?: \S+)*) {2,}(\S.*)$/;
const CONTINUATION = /^ {8,}\S/;

/**
 * The body of a help text in man macros.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helpRoff } from "./manpage.ts";
 * assert.equal(helpRoff("Options:\n  -a, --all  every one"), ".PP\n\\fBOptions:\\fR\n.TP\n\\fB\\-a\\fR, \\fB\\-\\-all\\fR\nevery one");
 * ```
 */
export function helpRoff(help: string): string {
  const out: string[] = [];
  let mode: "none" | "text" | "row" | "verbatim" | "usage" = "none";
  let examples = false;
  const end = () => {
    if (mode === "verbatim") out.push(".fi", ".RE");
    if (mode === "usage") out.push(".fi");
    mode = "none";
  };
  const lines = help.split("\n");
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") {
      end();
      continue;
    }
    if (mode === "row" && CONTINUATION.test(line)) {
      out.push(roffText(line.trim()));
      continue;
    }
    if (mode === "usage") {
      out.push(roffText(line)); // "       zot-sessions gc SESSION... [options]"
      continue;
    }
    if (!line.startsWith(" ")) {
      if (/^Usage: /.test(line)) {
        end();
        out.push(".PP", ".nf", roffText(line));
        mode = "usage";
        continue;
      }
      // A label heads indented lines ("Options:"); a paragraph may end a
      // line with a colon too ("newest first (zot's order):").
      if (/:$/.test(line) && mode !== "text" && /^( |$)/.test(lines[i + 1] ?? "")) {
        end();
        examples = /^Examples?\b/.test(line);
        out.push(".PP", `\\fB${roffText(line)}\\fR`);
        continue;
      }
      if (mode !== "text") end(), out.push(".PP");
      mode = "text";
      out.push(roffText(line));
      continue;
    }
    const option = examples ? null : OPTION_ROW.exec(line);
    const term = option || examples ? null : TERM_ROW.exec(line);
    if (option || term) {
      end();
      const [, flags, description] = (option ?? term)!;
      out.push(".TP", option ? flagsRoff(flags) : `\\fB${roffText(flags)}\\fR`);
      if (description) out.push(roffText(description));
      mode = "row";
      continue;
    }
    if (mode !== "verbatim") end(), out.push(".RS 2", ".nf"), mode = "verbatim";
    out.push(roffText(line.replace(/^ {2}/, "")));
  }
  end();
  return out.join("\n");
}

/**
 * The whole page: NAME, SYNOPSIS, DESCRIPTION (the verbs), one subsection
 * per verb with its help, then the further sections.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { manPage } from "./manpage.ts";
 * const page = manPage({ program: "zs", version: "1.0", summary: "does things", verbs: [], sections: [] });
 * assert.match(page, /^\.TH ZS 1 "" "zs 1\.0" "User Commands"$/m);
 * ```
 */
export function manPage(src: ManSource): string {
  const name = roffText(src.program);
  const lines = [
    `.\\" Generated from ${name}'s help text: do not edit.`,
    `.TH ${src.program.toUpperCase().replaceAll("-", "\\-")} 1 "" "${name} ${
      roffText(src.version)
    }" "User Commands"`,
    // Paths and commands are not hyphenated, nor stretched to the margin.
    ".nh",
    ".ad l",
    ".SH NAME",
    `${name} \\- ${roffText(src.summary)}`,
    ".SH SYNOPSIS",
    `.B ${name}`,
    "\\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
    ".SH DESCRIPTION",
    ...src.verbs.flatMap((v) => [".TP", `\\fB${roffText(v.name)}\\fR`, roffText(v.summary)]),
    ".SH COMMANDS",
    ...src.verbs.flatMap((v) => [`.SS ${roffText(v.name)}`, helpRoff(v.help)]),
    ...src.sections.flatMap(([title, text]) => [`.SH ${roffText(title)}`, helpRoff(text)]),
  ];
  return lines.join("\n") + "\n";
}
