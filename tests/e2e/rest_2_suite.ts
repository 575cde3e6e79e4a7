/**
 * Suite 2 of the end-to-end test files that package.json's scripts do not
 * name one by one (see rest.ts). No `_test` suffix: no runner finds it
 * on its own.
 *
 * @module
 */
import { importRest } from "./rest.ts";

await importRest(1);
