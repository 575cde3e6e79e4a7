/**
 * What each field of a JSON output means, written once beside the code that
 * writes it: `zot-sessions help json` and the man page list them.
 *
 * @module
 */

/**
 * One line per field of `T`, keyed by `T`'s own keys: the compiler refuses
 * a field left out (optional ones included) or one `T` does not have, and
 * the order written is the order listed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FieldDocs } from "./field_docs.ts";
 *
 * interface Hit { id: string; score?: number }
 * const docs: FieldDocs<Hit> = { id: "the session id", score: "how well it matched" };
 * assert.deepEqual(Object.keys(docs), ["id", "score"]);
 * ```
 */
export type FieldDocs<T> = { readonly [K in keyof Required<T>]: string };
