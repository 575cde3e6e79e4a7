/**
 * The `budgets` section of zot-sessions.jsonc (lib/gc/budget_config.ts,
 * read through lib/gc/config.ts): limits global and per project, and
 * every mistake named by file, line and column; gc's section still reads
 * beside it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfig, parseGcConfig } from "../../lib/gc/config.ts";

const parse = (text: string) => parseConfig(text, "/c.jsonc");

describe("budgets in the config file", () => {
  it("reads daily, weekly and monthly limits, global and per project, beside gc's", () => {
    const text = `{
      // a comment
      "gc": { "keepLast": 5 },
      "budgets": {
        "daily": 20, "weekly": 80.5, "monthly": 250,
        "weekStart": "sunday",
        "projects": { "~/src/app": { "daily": 5 }, "/srv/x": { "monthly": 9, }, },
      },
    }`;
    const c = parse(text);
    assert.deepEqual(c.gc, { keepLast: 5 });
    assert.equal(c.budgets.weekStart, "sunday");
    assert.deepEqual(c.budgets.budgets, [
      { period: "day", limitUsd: 20, project: null },
      { period: "week", limitUsd: 80.5, project: null },
      { period: "month", limitUsd: 250, project: null },
      { period: "day", limitUsd: 5, project: "~/src/app" },
      { period: "month", limitUsd: 9, project: "/srv/x" },
    ]);
    assert.deepEqual(parseGcConfig(text, "/c.jsonc"), { keepLast: 5 });
  });

  it("no budgets section: no budgets, weeks from Monday", () => {
    assert.deepEqual(parse('{ "gc": {} }').budgets, { budgets: [], weekStart: "monday" });
    assert.deepEqual(parse("// nothing").budgets, { budgets: [], weekStart: "monday" });
  });

  const bad: [string, string, RegExp][] = [
    [
      "a limit that is not a number",
      '{\n "budgets": { "daily": "20" } }',
      /line 2, column 24: "budgets.daily" must be a positive number of dollars/,
    ],
    [
      "a zero limit",
      '{ "budgets": { "weekly": 0 } }',
      /"budgets.weekly" must be a positive number/,
    ],
    [
      "an unknown key",
      '{ "budgets": { "yearly": 1 } }',
      /line 1, column 16: unknown key "budgets.yearly" \(known: daily, weekly, monthly, weekStart, projects\)/,
    ],
    [
      "a relative project",
      '{ "budgets": { "projects": { "src/app": { "daily": 1 } } } }',
      /"budgets.projects" keys must be absolute paths or start with ~\//,
    ],
    [
      "a project's unknown key",
      '{ "budgets": { "projects": { "/a": { "projects": {} } } } }',
      /unknown key "budgets.projects.\/a.projects" \(known: daily, weekly, monthly\)/,
    ],
    [
      "a bad week start",
      '{ "budgets": { "weekStart": "friday" } }',
      /"budgets.weekStart" must be "monday" or "sunday"/,
    ],
    ["budgets not an object", '{ "budgets": [] }', /"budgets" must be an object/],
    [
      "an unknown section",
      '{ "budget": {} }',
      /unknown key "budget" \(expected "gc" or "budgets"\)/,
    ],
    [
      "an own-key trick",
      '{ "budgets": { "constructor": 1 } }',
      /unknown key "budgets.constructor"/,
    ],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what}, naming the place`, () => {
      assert.throws(
        () => parse(text),
        (e: Error) =>
          e.name === "UsageError" && /^Cannot read config "\/c.jsonc": /.test(e.message) &&
          message.test(e.message),
      );
    });
  }
});
