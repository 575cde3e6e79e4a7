/**
 * An image of `show --html`: its data streamed into a `data:` URI as it
 * comes, or, with `--max-image-bytes`, held up to that bound and shown only
 * if it stays under it; else a placeholder that says its type and size.
 *
 * @module
 */
import { escapeHtml } from "./html_text.ts";
import { formatBytes } from "./format.ts";

/** Image types a browser shows from a `data:` URI (no SVG: it is a document). */
const IMAGE_TYPES = /^image\/(png|jpeg|gif|webp|avif|bmp)$/;

/**
 * One image being written; each call returns the HTML to write now.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HtmlImage } from "./html_image.ts";
 * const img = new HtmlImage("image/png", null);
 * assert.equal(img.data("iVBO\"R"), '<figure class="image"><img src="data:image/png;base64,iVBOR');
 * assert.ok(img.end(4).startsWith('" alt="image/png · 4 B">'));
 * ```
 */
export class HtmlImage {
  #shown: boolean;
  /** Data held while its size is not known to be under the bound. */
  #held: string[] | null;
  #heldChars = 0;
  /** The `<img>` has been opened (data streams into it). */
  #open = false;

  /** `maxBytes`: the bound of `--max-image-bytes`, or null for none. */
  constructor(readonly mime: string, readonly maxBytes: number | null) {
    this.#shown = IMAGE_TYPES.test(mime);
    this.#held = this.#shown && maxBytes !== null ? [] : null;
  }

  /** A piece of the image's base64 data. */
  data(base64: string): string {
    if (!this.#shown) return "";
    // Only base64's characters: nothing else in the file reaches the attribute.
    const data = /[^A-Za-z0-9+/=]/.test(base64) ? base64.replace(/[^A-Za-z0-9+/=]/g, "") : base64;
    if (this.#held !== null) {
      this.#held.push(data);
      this.#heldChars += data.length;
      // Past the bound: only its size will be shown.
      if (this.#heldChars * 3 / 4 > this.maxBytes! + 3) {
        this.#held = null;
        this.#shown = false;
      }
      return "";
    }
    const open = this.#open ? "" : `<figure class="image"><img src="data:${this.mime};base64,`;
    this.#open = true;
    return open + data;
  }

  /** The end of the image; `bytes`: its decoded size. */
  end(bytes: number): string {
    let out = "";
    const what = `${this.mime || "image"} · ${formatBytes(bytes)}`;
    if (this.#held !== null && this.#held.length > 0 && bytes <= this.maxBytes!) {
      out = `<figure class="image"><img src="data:${this.mime};base64,${this.#held.join("")}`;
      this.#open = true;
    }
    if (this.#open) {
      return out +
        `" alt="${escapeHtml(what)}"><figcaption>${escapeHtml(what)}</figcaption></figure>\n`;
    }
    const why = bytes === 0
      ? "no data"
      : !IMAGE_TYPES.test(this.mime)
      ? "not shown: not an image type a page shows"
      : `not shown: larger than --max-image-bytes (${formatBytes(this.maxBytes!)})`;
    return `<div class="placeholder">${escapeHtml(`[${what}: ${why}]`)}</div>\n`;
  }
}
